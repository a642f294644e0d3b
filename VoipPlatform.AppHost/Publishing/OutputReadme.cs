using System.Text;
using VoipPlatform.AppHost.Hosting;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>The README written beside the chart and manifests, with this publish's own names and defaults.</summary>
internal static class OutputReadme
{
    public static string Text(ChartValues values, List<ChartFile> files)
    {
        var edge = values.NodePools.Edge;
        var media = values.NodePools.Media;
        string ns = values.Global.Namespace;
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line("# VoipPlatform on Kubernetes");
        Line();
        Line("Written by `aspire publish` (or `dotnet run --project VoipPlatform.AppHost -- --operation publish --step publish --output-path DIR`)");
        Line("from the AppHost's app model. The full walk-through is docs/kubernetes.md in the repository.");
        Line();
        Line("| Path | What |");
        Line("| --- | --- |");
        Line($"| `{ChartWriter.ChartDirectory}/` | Helm chart (`Chart.yaml`, `values.yaml`, `templates/`) |");
        Line($"| `{ChartWriter.ManifestsDirectory}/` | the same objects for the default values, plain YAML, with `kustomization.yaml` |");
        Line();
        Line("## Before installing");
        Line();
        Line("1. **Node pools.** Label and taint the SIP edge nodes and the media nodes:");
        Line("   ```");
        Line($"   kubectl label node EDGE-NODE {edge.Label}={edge.Value} && kubectl taint node EDGE-NODE {edge.Label}={edge.Value}:NoSchedule");
        Line($"   kubectl label node MEDIA-NODE {media.Label}={media.Value} && kubectl taint node MEDIA-NODE {media.Label}={media.Value}:NoSchedule");
        Line("   ```");
        Line($"2. **Kernel module.** Every media node needs RTPEngine's module `{values.Media.KernelModule}` built for its kernel");
        Line("   (Debian: `rtpengine-kernel-dkms`; `nft_rtpengine` for RTPEngine 12+, set `media.kernelModule`). The init container");
        Line("   loads it with `modprobe` from the host's `/lib/modules`; without it the pod does not start. Its relay uses");
        Line($"   RTP ports {PodParts.Number(values.Media.RtpPortMin)}-{PodParts.Number(values.Media.RtpPortMax)}/udp on the node: open them in the node firewall.");
        Line($"3. **OSPF peering.** Each edge node runs BIRD (sidecar `vip-announcer`) and announces the VIP {values.Proxy.Vip}/32 as an");
        Line($"   OSPF stub network in area {values.Proxy.Bird.Area}, on interface `{values.Proxy.Bird.Interface}`, hello {PodParts.Number(values.Proxy.Bird.HelloSeconds)} s, dead {PodParts.Number(values.Proxy.Bird.DeadSeconds)} s");
        Line("   (BFD with `proxy.bird.bfd=true`). The network side must run OSPF on that segment in the same area with the same timers,");
        Line("   accept the /32 from every edge node and spread traffic over them (ECMP). A node withdraws the VIP while its proxy is");
        Line("   not ready, and first thing when its pod stops.");
        Line("4. **Secrets.** No secret value is in these files; create the Secrets they name before installing:");
        Line("   ```");
        Line($"   kubectl create namespace {ns}");
        foreach (var (parameter, secret) in values.Secrets.Parameters)
        {
            Line($"   kubectl -n {ns} create secret generic {secret.ExistingSecret} --from-literal={secret.Key}=\"$(openssl rand -base64 32)\"   # {parameter}");
        }
        Line($"   kubectl -n {ns} create secret generic {values.Secrets.ProxyTls} --from-file=tls.pfx=./sip-server.pfx   # SIP over TLS (PKCS#12, no password)");
        Line("   ```");
        Line($"5. **DNS.** `global.dnsServer` ({values.Global.DnsServer}) must be the cluster DNS Service's IP: the SIP layers ask it");
        Line("   for the SRV records of the headless Services (`kubectl -n kube-system get svc kube-dns`).");
        Line($"6. **Egress.** `global.sipEgressAllowList` ({values.Global.SipEgressAllowList}) is where SIP may be sent: narrow it to your networks.");
        Line();
        Line("## Install");
        Line();
        Line("```");
        Line($"helm install voip ./{ChartWriter.ChartDirectory} -n {ns} --set proxy.vip=YOUR.VIP   # or:");
        Line($"kubectl apply -k ./{ChartWriter.ManifestsDirectory}");
        Line("```");
        Line();
        Line("Switches (Helm values): `network.mode` (`host` | `multus`, with `network.multus.*`), `media.kind` (`DaemonSet` | `Deployment`),");
        Line("`proxy.bird.bfd`, `autoscaling.activeCallsMetric` (needs a custom-metrics adapter serving `sip_dialogs_active`).");
        Line("The plain manifests are the chart rendered with its defaults; publish again with");
        Line("`--VoipPlatform:Kubernetes:NetworkMode=multus` (or `MediaKind`, `Bfd`, `ActiveCallsMetric`, `Namespace`) for other ones.");
        Line();
        Line("## Objects");
        Line();
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            Line($"- `{file.Name}` ({file.Object.Kind})");
        }
        Line();
        Line($"SIP enters only at the proxies on the VIP (ports {PodParts.Number(values.Proxy.Ports[PlatformEndpoints.Sip])}/udp+tcp, TLS {PodParts.Number(values.Proxy.Ports[ChartValuesFactory.SipTlsPortName])}/tcp).");
        return text.ToString();
    }
}
