using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using VoipPlatform.MediaAgent.Diagnostics;

namespace VoipPlatform.Tests.MediaAgent;

/// <summary>The agent's meter reports what its real RTPEngine says in ng <c>statistics</c>.</summary>
public sealed class MetricsTests
{
    private static readonly TimeSpan HealthyWithin = TimeSpan.FromSeconds(15);
    private const int RtpPackets = 10;

    [Fact]
    public async Task Active_sessions_relayed_packets_and_bytes_and_userspace_forwarding_are_measured_from_ng_statistics()
    {
        await using var agent = MediaAgentUnderTest.Create();
        await agent.StartAsync();
        await agent.WaitUntilHealthyAsync(HealthyWithin);
        using var meter = new AgentMeter(agent.Services.GetRequiredService<IMeterFactory>());
        using var caller = Bound();
        using var callee = Bound();
        await using var ng = agent.CreateNgClient();
        string callId = Sessions.NewCallId();
        await ng.OfferAsync(callId, "caller", Sessions.Sdp(Port(caller)));
        string answer = await ng.AnswerAsync(callId, "caller", "callee", Sessions.Sdp(Port(callee)));

        // The caller sends to the port the answer gave it; RTPEngine relays to the callee.
        var relay = new IPEndPoint(IPAddress.Loopback, Sessions.MediaPort(answer));
        for (int sequence = 0; sequence < RtpPackets; sequence++) await caller.SendToAsync(RtpPacket(sequence), relay);
        var received = new byte[2048];
        using var receiveLimit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await callee.ReceiveAsync(received, receiveLimit.Token);
        // Every instrument of one collection, not only the packet counter: under load a snapshot can hold some of them.
        var measured = await meter.WaitForAsync(m => m.Value("rtpengine.packets.relayed", "userspace") >= RtpPackets
            && m.Value("rtpengine.sessions.active") >= 0 && m.Value("rtpengine.bytes.relayed", "userspace") >= 0);

        Assert.Equal(1, measured.Value("rtpengine.sessions.active"));
        Assert.True(measured.Value("rtpengine.bytes.relayed", "userspace") >= RtpPackets * 172, "bytes relayed");
        Assert.Equal(0, measured.Value("rtpengine.packets.relayed", "kernel"));
        var forwarding = measured.Single("rtpengine.forwarding.kernel");
        Assert.Equal(0, forwarding.Value);
        Assert.Equal("userspace", forwarding.Tags["rtpengine.forwarding.mode"]);
        Assert.Equal(-1, forwarding.Tags["rtpengine.kernel.table"]);
        await ng.DeleteAsync(callId, "caller");
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static int Port(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>RTP version 2, PCMU, 20 ms of silence: 12 header bytes and 160 payload bytes.</summary>
    private static byte[] RtpPacket(int sequence)
    {
        var packet = new byte[172];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(sequence * 160));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x1234_5678);
        packet.AsSpan(12).Fill(0xFF);
        return packet;
    }

    /// <summary>Reads the observable instruments of one agent's meter (parallel tests have meters of the same name).</summary>
    private sealed class AgentMeter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<Measurement> _current = [];

        public AgentMeter(IMeterFactory agentMeters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MediaAgentMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, agentMeters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags));
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Keep(instrument, value, tags));
            _listener.Start();
        }

        public async Task<Snapshot> WaitForAsync(Func<Snapshot, bool> condition)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var snapshot = Collect();
                if (condition(snapshot)) return snapshot;
                if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException($"metrics never matched: {snapshot}");
                await Task.Delay(100);
            }
        }

        public void Dispose() => _listener.Dispose();

        private Snapshot Collect()
        {
            lock (_current) _current.Clear();
            _listener.RecordObservableInstruments();
            lock (_current) return new Snapshot([.. _current]);
        }

        private void Keep(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var measurement = new Measurement(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value));
            lock (_current) _current.Add(measurement);
        }
    }

    private sealed record Measurement(string Instrument, long Value, IReadOnlyDictionary<string, object?> Tags);

    private sealed record Snapshot(IReadOnlyList<Measurement> Measurements)
    {
        public Measurement Single(string instrument) => Assert.Single(Measurements, m => m.Instrument == instrument);

        public long Value(string instrument, string? path = null) =>
            Measurements.Where(m => m.Instrument == instrument && (path is null || Equals(m.Tags.GetValueOrDefault("rtpengine.forwarding.path"), path)))
                .Select(m => m.Value).DefaultIfEmpty(-1).Sum();

        public override string ToString() =>
            string.Join("; ", Measurements.Select(m => $"{m.Instrument}={m.Value} {string.Join(',', m.Tags.Select(t => $"{t.Key}={t.Value}"))}"));
    }
}
