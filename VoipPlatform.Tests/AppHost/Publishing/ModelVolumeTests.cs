using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VoipPlatform.AppHost.Publishing;

namespace VoipPlatform.Tests.AppHost.Publishing;

/// <summary>
/// The publish's builders on a hand-made app model, for shapes the AppHost does not have today: a container with a
/// named volume (as an application server keeping voicemail) and its own TCP endpoint on its SIP port.
/// </summary>
public sealed class ModelVolumeTests
{
    [Fact]
    public async Task A_named_volume_becomes_one_shared_claim_mounted_in_every_replica_and_a_declared_tcp_port_is_not_doubled()
    {
        var server = new ContainerResource("appserver");
        server.Annotations.Add(new ContainerImageAnnotation { Image = "example/appserver", Tag = "1" });
        server.Annotations.Add(new EndpointAnnotation(ProtocolType.Udp, uriScheme: "udp", name: "sip", port: 5080, targetPort: 5080, isProxied: false));
        server.Annotations.Add(new EndpointAnnotation(ProtocolType.Tcp, uriScheme: "tcp", name: "tcp", port: 5080, targetPort: 5080, isProxied: false));
        server.Annotations.Add(new ContainerMountAnnotation("shared-data", "/var/data", ContainerMountType.Volume, isReadOnly: false));

        var workloads = PlatformWorkloads.From(new DistributedApplicationModel([server]));
        var publish = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish);
        var environments = new Dictionary<Workload, WorkloadEnvironment>
        {
            [workloads.Single()] = await WorkloadEnvironment.GatherAsync(server, publish, CancellationToken.None),
        };
        var values = ChartValuesFactory.Create(workloads, new Dictionary<ParameterResource, string?>(), new KubernetesPublishOptions());
        var objects = new PlatformObjects(workloads, environments);
        var plain = objects.Build(values).ToDictionary(f => f.Name, f => YamlTree.Load(ChartYaml.Serialize(f.Object)));

        var claim = plain["shared-data-pvc"];
        Assert.Equal("PersistentVolumeClaim", claim["kind"]);
        Assert.Equal(["ReadWriteMany"], ((List<object?>)claim.At("spec.accessModes")!).Cast<string>());
        Assert.Equal("10Gi", claim.At("spec.resources.requests.storage"));

        var pod = plain["appserver-deployment"].Map("spec.template.spec");
        Assert.Equal("shared-data-pvc", pod.Maps("volumes").Single().At("persistentVolumeClaim.claimName"));
        var container = pod.Maps("containers").Single();
        Assert.Equal("/var/data", container.Maps("volumeMounts").Single()["mountPath"]);
        Assert.Equal(["sip:5080/UDP", "tcp:5080/TCP"], container.Maps("ports").Select(p => $"{p["name"]}:{p["containerPort"]}/{p["protocol"]}"));

        // The claim's size is a value, and its template renders the plain object.
        var templates = ChartTemplates.Build(values, objects.Build);
        Assert.Contains("{{ .Values.volumes.sharedData.storage }}", templates["shared-data-pvc"]);
        var rendered = YamlTree.Load(HelmSubsetRenderer.Render(templates["shared-data-pvc"], YamlTree.Load(ChartYaml.Serialize(values))));
        Assert.Equal(YamlTree.Canonical(claim), YamlTree.Canonical(rendered));
    }
}
