#!/usr/bin/env python3
"""Where a process spends its time, from a dotnet-trace Speedscope file (profile dotnet-sampled-thread-time).

Samples of threads that are blocked or idle (their leaf frame is native-code time or a wait) are left out, so what
remains approximates CPU time. Prints the frames with the most inclusive and exclusive samples.

    python3 bench/lib/speedscope_top.py trace.speedscope.json [top N] [frame filter]
"""
import json
import sys
from collections import Counter

IDLE_MARKERS = ("UNMANAGED_CODE_TIME", "Wait", "Sleep", "LowLevelLifoSemaphore", "WaitHandle", "Monitor.",
                "EventLoop", "epoll", "SemaphoreSlim.Wait", "Thread.Join", "ReadFromPipe")


def stacks(data):
    """(stack of frame indexes, weight) pairs from sampled or evented (open/close) profiles."""
    for profile in data["profiles"]:
        if profile.get("type") == "sampled":
            yield from zip(profile["samples"], profile["weights"])
        elif profile.get("type") == "evented":
            stack, last = [], None
            for event in profile["events"]:
                if last is not None and stack and event["at"] > last:
                    yield list(stack), event["at"] - last
                last = event["at"]
                if event["type"] == "O":
                    stack.append(event["frame"])
                elif stack:
                    stack.pop()


def main() -> None:
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    wanted = sys.argv[3] if len(sys.argv) > 3 else None
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    inclusive, exclusive, paths = Counter(), Counter(), Counter()
    busy = idle = 0
    for stack, weight in stacks(data):
        if not stack:
            continue
        leaf = frames[stack[-1]]
        if leaf == "CPU_TIME" and len(stack) > 1:  # dotnet-trace marks a running thread's stack with this leaf
            leaf = frames[stack[-2]]
        elif any(marker in leaf for marker in IDLE_MARKERS):
            idle += weight
            continue
        names = [frames[i] for i in stack]
        if wanted and not any(wanted in n for n in names):
            continue
        busy += weight
        exclusive[leaf] += weight
        if wanted:
            paths[tuple(n.split("!")[-1].split("(")[0] for n in names[4:] if n != "CPU_TIME")] += weight
        for name in set(names):
            inclusive[name] += weight
    print(f"busy: {busy:.0f}, idle or blocked (left out): {idle:.0f}")
    print(f"\n-- inclusive (top {top}) --")
    for name, count in inclusive.most_common(top):
        print(f"{100 * count / max(busy, 1):5.1f}%  {name[:160]}")
    if wanted:
        print(f"\n-- stacks through {wanted} (top 5) --")
        for chain, count in paths.most_common(5):
            print(f"{100 * count / max(busy, 1):5.1f}%  " + " <- ".join(reversed(chain))[:1500] + "\n")
    print(f"\n-- exclusive (top {top}) --")
    for name, count in exclusive.most_common(top):
        print(f"{100 * count / max(busy, 1):5.1f}%  {name[:160]}")


if __name__ == "__main__":
    main()
