namespace VoipPlatform.Tests.AppHost.Publishing;

/// <summary>
/// The settings of the published deployment that matter for VoIP (docs/kubernetes.md), read from the plain manifests
/// of a real publish of the AppHost.
/// </summary>
[Collection(PublishCollection.Name)]
public sealed class KubernetesPublishingTests(PublishFixture publish)
{
    private static readonly string[] StatelessLayers = ["router", "applayer", "asterisk"];

    private PublishOutput Default => publish.Default;

    [Fact]
    public void The_proxy_runs_on_the_edge_nodes_host_network_with_every_sip_port()
    {
        var pod = Default.Object("proxy-daemonset").Map("spec.template.spec");

        Assert.True((bool?)pod["hostNetwork"]);
        Assert.Equal("ClusterFirstWithHostNet", pod["dnsPolicy"]);
        Assert.Equal("edge", pod.Map("nodeSelector")["voipplatform.io/pool"]);
        Assert.Contains(pod.Maps("tolerations"), t => (string?)t["key"] == "voipplatform.io/pool" && (string?)t["value"] == "edge");

        var proxy = Container(pod, "proxy");
        var ports = proxy.Maps("ports").Select(p => $"{p["name"]}:{p["containerPort"]}/{p["protocol"]}").ToList();
        Assert.Equal(["http:5201/TCP", "sip:5060/UDP", "sip-tcp:5060/TCP", "sip-ws:5066/TCP", "sip-tls:5061/TCP", "sip-wss:7443/TCP"], ports);
        Assert.Equal(60L, pod["terminationGracePeriodSeconds"]);

        var config = Default.Object("proxy-config").Map("data");
        Assert.Equal("0.0.0.0", config["Sip__ListenAddress"]);
        Assert.Equal("203.0.113.10", config["Sip__AdvertisedAddress"]);
        Assert.Equal("5061", config["Sip__TlsPort"]);
        Assert.Equal("5066", config["Sip__WebSocketPort"]); // browsers, RFC 7118
        Assert.Equal("7443", config["Sip__SecureWebSocketPort"]);
        // Next hops by DNS SRV of the headless Services, which list only ready pods.
        Assert.Equal("_sip._udp.router-service.voip.svc.cluster.local", config["Proxy__RouterService"]);
        Assert.Equal("_ng._udp.mediaagent-service.voip.svc.cluster.local", config["Proxy__Media__NodeService"]);
    }

    [Fact]
    public void The_vip_sidecar_announces_only_while_the_proxy_is_healthy_and_withdraws_before_the_proxy_drains()
    {
        var pod = Default.Object("proxy-daemonset").Map("spec.template.spec");
        var bird = Container(pod, "vip-announcer");
        var proxy = Container(pod, "proxy");

        Assert.Contains("NET_ADMIN", (List<object?>)bird.At("securityContext.capabilities.add")!);
        Assert.Contains("NET_RAW", (List<object?>)bird.At("securityContext.capabilities.add")!);
        var env = bird.Maps("env").ToDictionary(e => (string)e["name"]!, e => e["value"]);
        Assert.Equal("203.0.113.10", env["VIP"]);
        Assert.Equal("http://127.0.0.1:5201/health", env["HEALTH_URL"]);

        // preStop: the sidecar reconfigures BIRD without the stubnet at once; the proxy waits before its drain starts.
        string withdraw = string.Join(' ', (List<object?>)bird.At("lifecycle.preStop.exec.command")!);
        Assert.Contains("birdc", withdraw);
        Assert.Contains("bird-withdrawn.conf", withdraw);
        Assert.True((long)proxy.At("lifecycle.preStop.sleep.seconds")! > 5, "longer than OSPF's MinLSInterval (5 s)");

        var files = Default.Object("proxy-bird-config").Map("data");
        Assert.Contains("stubnet 203.0.113.10/32;", (string)files["bird-announced.conf"]!);
        Assert.DoesNotContain("stubnet", (string)files["bird-withdrawn.conf"]!);
        Assert.Contains("interface \"eth0\"", (string)files["bird-announced.conf"]!);
        Assert.DoesNotContain("bfd", (string)files["bird-announced.conf"]!);
        string script = (string)files["vip-announcer.sh"]!;
        Assert.Contains("curl -fs -m 1 -o /dev/null \"$HEALTH_URL\"", script);
        Assert.Contains("[ ! -e \"$run/draining\" ]", script);

        var bfd = publish.Switched.Object("proxy-bird-config").Map("data");
        Assert.Contains("bfd yes;", (string)bfd["bird-announced.conf"]!);
        Assert.Contains("interval 100 ms;", (string)bfd["bird-announced.conf"]!);
    }

    [PublishToolFact(PublishTools.Bird)]
    public async Task Every_generated_bird_configuration_parses_with_bird()
    {
        Assert.True(PublishTools.Missing(PublishTools.Bird) is null, PublishTools.Missing(PublishTools.Bird));
        foreach (var output in new[] { Default, publish.Switched })
        {
            foreach (string file in new[] { "bird-announced.conf", "bird-withdrawn.conf" })
            {
                string path = Path.Combine(publish.ScratchDirectory, file);
                await File.WriteAllTextAsync(path, (string)output.Object("proxy-bird-config").Map("data")[file]!);
                var (exit, log) = await PublishTools.Run(PublishTools.Find("bird")!, ["-p", "-c", path]);
                Assert.True(exit == 0, $"bird -p rejects {file} ({output.Directory}): {log}");
            }
        }
    }

    [Fact]
    public void Media_is_privileged_after_loading_its_kernel_module_and_sees_proc_rtpengine()
    {
        var daemonSet = Default.Object("mediaagent-daemonset");
        var pod = daemonSet.Map("spec.template.spec");
        Assert.True((bool?)pod["hostNetwork"]);
        Assert.Equal("media", pod.Map("nodeSelector")["voipplatform.io/pool"]);

        var init = pod.Maps("initContainers").Single();
        Assert.Equal(["modprobe", "$(MODULE)"], ((List<object?>)init["command"]!).Cast<string>());
        Assert.Equal("xt_RTPENGINE", init.Maps("env").Single(e => (string?)e["name"] == "MODULE")["value"]);
        Assert.True((bool?)init.At("securityContext.privileged"));
        Assert.Contains(init.Maps("volumeMounts"), m => (string?)m["mountPath"] == "/lib/modules" && (bool?)m["readOnly"] == true);

        var agent = Container(pod, "mediaagent");
        Assert.True((bool?)agent.At("securityContext.privileged"));
        var volumes = pod.Maps("volumes").ToDictionary(v => (string)v["name"]!, v => (string?)v.At("hostPath.path"));
        Assert.Equal("/lib/modules", volumes["lib-modules"]);
        Assert.Equal("/proc/rtpengine", volumes["proc-rtpengine"]);
        Assert.Contains(agent.Maps("volumeMounts"), m => (string?)m["name"] == "proc-rtpengine");
        Assert.Equal("/host/proc/rtpengine/control", Default.Object("mediaagent-config").Map("data")["MediaAgent__Kernel__ControlFile"]);

        // The RTP range: declared on the pod and given to the agent (kernel tables and userspace alike).
        Assert.Equal("30000-61999", daemonSet.Map("spec.template.metadata.annotations")["voipplatform.io/rtp-ports"]);
        var config = Default.Object("mediaagent-config").Map("data");
        Assert.Equal("30000", config["MediaAgent__Kernel__PortBase"]);
        Assert.Equal("61999", config["MediaAgent__RtpEngine__UserspacePortMax"]);
        Assert.True((long)pod["terminationGracePeriodSeconds"]! > 70, "longer than the agent's drain (60 s) + RTPEngine's stop (10 s)");
    }

    [Fact]
    public void Media_as_a_deployment_is_spread_one_per_node()
    {
        Assert.DoesNotContain("mediaagent-daemonset", publish.Switched.Manifests.Keys);
        var deployment = publish.Switched.Object("mediaagent-deployment");
        var term = deployment.Maps("spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution").Single();
        Assert.Equal("kubernetes.io/hostname", term["topologyKey"]);
        Assert.Equal("mediaagent", term.Map("labelSelector.matchLabels")["app.kubernetes.io/name"]);
    }

    [Fact]
    public void Every_stateless_layer_drains_on_stop_autoscales_and_keeps_a_disruption_budget()
    {
        foreach (string layer in StatelessLayers)
        {
            var pod = Default.Object($"{layer}-deployment").Map("spec.template.spec");
            var container = Container(pod, layer);
            Assert.True((long)pod["terminationGracePeriodSeconds"]! > 3600 + 5, $"{layer}: grace period above the preStop wait and an hour of drain");
            Assert.True(container.At("lifecycle.preStop") is not null, $"{layer}: preStop hook");
            Assert.True(container.ContainsKey("readinessProbe") && container.ContainsKey("livenessProbe"), $"{layer}: probes");

            var hpa = Default.Object($"{layer}-hpa");
            Assert.Equal("autoscaling/v2", hpa["apiVersion"]);
            Assert.Equal($"{layer}-deployment", hpa.At("spec.scaleTargetRef.name"));
            Assert.Contains(hpa.Maps("spec.metrics"), m => (string?)m["type"] == "Resource" && (string?)m.At("resource.name") == "cpu");

            var pdb = Default.Object($"{layer}-pdb");
            Assert.Equal(1L, pdb.At("spec.maxUnavailable"));
            Assert.Equal(layer, pdb.Map("spec.selector.matchLabels")["app.kubernetes.io/name"]);
        }

        // HTTP health where the service has it; the SIP layers' Services are headless (SRV lists every ready pod).
        Assert.Equal("/health", Container(Default.Object("router-deployment").Map("spec.template.spec"), "router").At("readinessProbe.httpGet.path"));
        Assert.Equal("None", Default.Object("router-service").At("spec.clusterIP"));
        Assert.Equal("None", Default.Object("asterisk-service").At("spec.clusterIP"));
        Assert.Equal("00:59:00", Default.Object("router-config").Map("data")["Sip__Proxy__DrainTimeout"]);
        // Each layer drains itself on SIGTERM, after a short wait that takes it out of DNS and Service endpoints first.
        Assert.Equal(5L, Container(Default.Object("router-deployment").Map("spec.template.spec"), "router").At("lifecycle.preStop.sleep.seconds"));
        var asterisk = Container(Default.Object("asterisk-deployment").Map("spec.template.spec"), "asterisk");
        Assert.Equal(5L, asterisk.At("lifecycle.preStop.sleep.seconds"));
        Assert.Contains("core show uptime", string.Join(' ', (List<object?>)asterisk.At("readinessProbe.exec.command")!));
        // The SIP core's settings go only to the platform's own services.
        Assert.DoesNotContain(Default.Object("asterisk-config").Map("data").Keys, k => k.StartsWith("Sip__", StringComparison.Ordinal));
        // Two router resources in the AppHost are one Deployment with two replicas.
        Assert.Equal(2L, Default.Object("router-deployment").At("spec.replicas"));
        Assert.DoesNotContain(Default.Manifests.Keys, k => k.StartsWith("router2", StringComparison.Ordinal));
    }

    [Fact]
    public void The_active_calls_metric_scales_the_sip_layers_only_when_switched_on()
    {
        Assert.DoesNotContain(Default.Object("router-hpa").Maps("spec.metrics"), m => (string?)m["type"] == "Pods");
        var metric = publish.Switched.Object("router-hpa").Maps("spec.metrics").Single(m => (string?)m["type"] == "Pods");
        Assert.Equal("sip_dialogs_active", metric.At("pods.metric.name"));
        Assert.DoesNotContain(publish.Switched.Object("applayer-hpa").Maps("spec.metrics"), m => (string?)m["type"] == "Pods");
        Assert.DoesNotContain(publish.Switched.Object("asterisk-hpa").Maps("spec.metrics"), m => (string?)m["type"] == "Pods");
    }

    [Fact]
    public void Consul_and_redis_are_statefulsets_with_storage()
    {
        var consul = Default.Object("consul-statefulset");
        Assert.Equal(3L, consul.At("spec.replicas"));
        Assert.Contains("-bootstrap-expect=3", (List<object?>)consul.Maps("spec.template.spec.containers").Single()["args"]!);
        Assert.Equal("data", consul.Maps("spec.volumeClaimTemplates").Single().At("metadata.name"));
        var dns = Default.Object("consul-service").Maps("spec.ports").Where(p => ((string)p["name"]!).StartsWith("dns", StringComparison.Ordinal))
            .Select(p => $"{p["port"]}/{p["protocol"]}");
        Assert.Equal(["8600/UDP", "8600/TCP"], dns);

        var redis = Default.Object("redis-statefulset");
        Assert.Equal("8Gi", redis.Maps("spec.volumeClaimTemplates").Single().At("spec.resources.requests.storage"));
        var args = (List<object?>)redis.Maps("spec.template.spec.containers").Single()["args"]!;
        Assert.Contains("$(REDIS_PASSWORD)", args);
        Assert.Equal("redis-service", Default.Object("applayer-config").Map("data")["REDIS_HOST"]);
    }

    [Fact]
    public void No_secret_value_is_written_and_every_secret_is_referenced_by_name()
    {
        foreach (string file in Directory.GetFiles(Default.Directory, "*", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            Assert.DoesNotContain(PublishFixture.NonceSecret, text);
            Assert.DoesNotContain(PublishFixture.RedisPassword, text);
        }
        Assert.Empty(Default.OfKind("Secret"));

        var router = Container(Default.Object("router-deployment").Map("spec.template.spec"), "router");
        var nonce = router.Maps("env").Single(e => (string?)e["name"] == "Sip__Digest__NonceSecret");
        Assert.Equal("voipplatform-sip-nonce-secret", nonce.At("valueFrom.secretKeyRef.name"));
        // A connection string embeds the Redis password only as a reference Kubernetes expands in the pod.
        var connection = router.Maps("env").Single(e => (string?)e["name"] == "ConnectionStrings__redis");
        Assert.Equal("redis-service:6379,password=$(VP_SECRET_REDISPASSWORD)", connection["value"]);
        Assert.Equal("voipplatform-redis-password",
            router.Maps("env").Single(e => (string?)e["name"] == "VP_SECRET_REDISPASSWORD").At("valueFrom.secretKeyRef.name"));
        Assert.DoesNotContain("Sip__Digest__NonceSecret", Default.Object("router-config").Map("data").Keys);
        Assert.Contains("create secret generic voipplatform-sip-nonce-secret", Default.Readme);
    }

    [Fact]
    public void Nothing_local_is_published()
    {
        foreach (var config in Default.OfKind("ConfigMap").Where(c => ((string)c.At("metadata.name")!).EndsWith("-config", StringComparison.Ordinal)))
        {
            foreach (var (key, value) in config.Map("data"))
            {
                Assert.False(((string)value!).Contains("127.0.0.1", StringComparison.Ordinal), $"{config.At("metadata.name")}: {key}={value}");
            }
        }
        Assert.DoesNotContain("AppLayer__SeedDemoData", Default.Object("applayer-config").Map("data").Keys);
    }

    [Fact]
    public void Multus_mode_attaches_proxy_and_media_to_a_network_attachment_instead_of_the_host_network()
    {
        Assert.DoesNotContain("network-attachment-definition", Default.Manifests.Keys);
        var attachment = publish.Switched.Object("network-attachment-definition");
        Assert.Equal("k8s.cni.cncf.io/v1", attachment["apiVersion"]);
        Assert.Equal("voip-external", attachment.At("metadata.name"));
        var cni = System.Text.Json.JsonDocument.Parse((string)attachment.At("spec.config")!).RootElement;
        Assert.Equal("macvlan", cni.GetProperty("type").GetString());
        Assert.Equal("eth1", cni.GetProperty("master").GetString());

        foreach (string workload in new[] { "proxy-daemonset", "mediaagent-deployment" })
        {
            var template = publish.Switched.Object(workload).Map("spec.template");
            Assert.Equal("voip-external", template.Map("metadata.annotations")["k8s.v1.cni.cncf.io/networks"]);
            Assert.False(template.Map("spec").ContainsKey("hostNetwork"), workload);
        }
        // The media pod keeps its RTP range annotation beside the Multus one.
        Assert.Equal("30000-61999", publish.Switched.Object("mediaagent-deployment").Map("spec.template.metadata.annotations")["voipplatform.io/rtp-ports"]);
    }

    [Fact]
    public async Task A_bad_publish_option_fails_the_publish_naming_the_setting()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => PublishFixture.PublishAsync(
            Path.Combine(publish.ScratchDirectory, "bad"), ["--VoipPlatform:Kubernetes:NetworkMode=overlay"]));
        Assert.Contains("VoipPlatform:Kubernetes:NetworkMode must be 'host' or 'multus', not 'overlay'", failure.Message);
    }

    [Fact]
    public void The_plain_manifests_are_listed_in_the_kustomization()
    {
        var kustomization = YamlTree.Load(Default.Kustomization);
        Assert.Equal("voip", kustomization["namespace"]);
        Assert.Equal(Default.Manifests.Keys.Select(k => k + ".yaml"), ((List<object?>)kustomization["resources"]!).Cast<string>());
    }

    private static Dictionary<string, object?> Container(Dictionary<string, object?> pod, string name) =>
        pod.Maps("containers").Single(c => (string?)c["name"] == name);
}
