using k8s;
using k8s.Models;
using VoipPlatform.AppHost.Hosting;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// Router, logic API, Asterisk, and any other workload without platform-specific needs: a Deployment that drains on
/// stop, its Service (headless for SIP, so DNS SRV lists every ready pod), an HPA and a PDB.
/// </summary>
internal static class StatelessLayer
{
    /// <summary>Name of the per-pod custom metric the SIP core's <c>sip.dialogs.active</c> is exported as.</summary>
    public const string ActiveCallsMetric = "sip_dialogs_active";

    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> Build(Workload workload, TranslatedEnvironment environment, ChartValues values)
    {
        var layer = values.Stateless[ValuePlaceholders.ValuesKey(workload.Name)];
        bool sip = workload.SpeaksSip();
        if (sip && workload.IsPlatformService)
        {
            // Any replica serves any call; the pod's own address goes into Via, Record-Route and the Consul registration.
            environment
                .Set("Sip__ListenAddress", "0.0.0.0")
                .Set("Sip__Port", Port(layer, PlatformEndpoints.Sip))
                .Set("Sip__EgressAllowList__0", values.Global.SipEgressAllowList)
                .Set("Sip__Dns__Server", values.Global.DnsServer)
                .Set("Sip__Proxy__DrainTimeout", layer.DrainTimeout)
                .SetFromField("Sip__AdvertisedAddress", PodParts.PodIpField);
        }
        if (workload.HasPort(PlatformEndpoints.Http))
        {
            environment.Set("HTTP_PORTS", Port(layer, PlatformEndpoints.Http));
        }
        if (workload.IsPlatformService)
        {
            environment.SetFromField("Consul__Service__Address", PodParts.PodIpField);
        }

        yield return PodParts.ConfigMap(workload, environment.Config);
        yield return Deployment(workload, environment, layer, values.Global);
        foreach (var volume in workload.Volumes)
        {
            yield return PodParts.VolumeClaim(workload, volume.Source!, values);
        }
        // SIP layers: headless, so the SIP hops balance across every ready pod by SRV; HTTP ones get a virtual IP.
        yield return PodParts.Service(workload, layer.Ports, headless: sip);
        // Only the platform's own SIP services export sip.dialogs.active (Asterisk does not).
        yield return Autoscaler(workload, layer, values.Autoscaling, exportsActiveCalls: sip && workload.IsPlatformService);
        yield return DisruptionBudget(workload, layer);
    }

    private static string Port(StatelessValues layer, string name) =>
        PodParts.Number(layer.Ports[name]);

    private static V1Deployment Deployment(Workload workload, TranslatedEnvironment environment, StatelessValues layer, GlobalValues global)
    {
        var (volumes, mounts) = PodParts.ModelVolumes(workload);
        var container = new V1Container
        {
            Name = workload.Name,
            Image = layer.Image,
            ImagePullPolicy = global.ImagePullPolicy,
            Ports = PodParts.ContainerPorts(workload, layer.Ports),
            EnvFrom = PodParts.FromConfigMap(workload),
            Env = environment.Env,
            VolumeMounts = mounts,
            // Each drains itself on SIGTERM (the platform's services, and the Asterisk image's entrypoint), after this wait.
            Lifecycle = PodParts.PreStopWait(layer.PreStopDelaySeconds),
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity>
                {
                    ["cpu"] = new(layer.CpuRequest),
                    ["memory"] = new(layer.MemoryRequest),
                },
            },
        };
        if (workload.HasPort(PlatformEndpoints.Http))
        {
            (container.ReadinessProbe, container.LivenessProbe) = PodParts.HttpProbes(PodParts.PortName(PlatformEndpoints.Http));
        }
        else
        {
            var command = new V1ExecAction { Command = ["sh", "-c", layer.HealthCommand] };
            container.ReadinessProbe = new V1Probe { Exec = command, PeriodSeconds = 5, FailureThreshold = 2 };
            container.LivenessProbe = new V1Probe { Exec = command, InitialDelaySeconds = 10, PeriodSeconds = 10, FailureThreshold = 3 };
        }

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = KubernetesNaming.Metadata(KubernetesNaming.ObjectName(workload.Name, "Deployment"), workload.Name, workload.Layer),
            Spec = new V1DeploymentSpec
            {
                Replicas = layer.Replicas,
                Selector = PodParts.SelectorOf(workload.Name),
                // New pods ready before old ones drain: capacity never dips during a rollout.
                Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "25%", MaxUnavailable = 0 } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = PodParts.PodMetadata(workload),
                    Spec = new V1PodSpec
                    {
                        Containers = [container],
                        Volumes = volumes,
                        TerminationGracePeriodSeconds = layer.TerminationGracePeriodSeconds,
                    },
                },
            },
        };
    }

    private static V2HorizontalPodAutoscaler Autoscaler(Workload workload, StatelessValues layer, AutoscalingValues autoscaling, bool exportsActiveCalls)
    {
        var metrics = new List<V2MetricSpec>
        {
            new()
            {
                Type = "Resource",
                Resource = new V2ResourceMetricSource
                {
                    Name = "cpu",
                    Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = layer.TargetCpuPercent },
                },
            },
        };
        if (exportsActiveCalls && autoscaling.ActiveCallsMetric)
        {
            metrics.Add(new V2MetricSpec
            {
                Type = "Pods",
                Pods = new V2PodsMetricSource
                {
                    Metric = new V2MetricIdentifier { Name = ActiveCallsMetric },
                    Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity(autoscaling.ActiveCallsPerPod) },
                },
            });
        }
        return new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = KubernetesNaming.Metadata(KubernetesNaming.ObjectName(workload.Name, "hpa"), workload.Name, workload.Layer),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference
                {
                    ApiVersion = "apps/v1",
                    Kind = "Deployment",
                    Name = KubernetesNaming.ObjectName(workload.Name, "Deployment"),
                },
                MinReplicas = layer.MinReplicas,
                MaxReplicas = layer.MaxReplicas,
                Metrics = metrics,
                // Scale down slowly: a pod removed takes its calls' whole drain with it.
                Behavior = new V2HorizontalPodAutoscalerBehavior
                {
                    ScaleDown = new V2HPAScalingRules
                    {
                        Policies = [new V2HPAScalingPolicy { Type = "Pods", Value = 1, PeriodSeconds = 60 }],
                        StabilizationWindowSeconds = 300,
                    },
                },
            },
        };
    }

    private static V1PodDisruptionBudget DisruptionBudget(Workload workload, StatelessValues layer) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = KubernetesNaming.Metadata(KubernetesNaming.ObjectName(workload.Name, "pdb"), workload.Name, workload.Layer),
        Spec = new V1PodDisruptionBudgetSpec
        {
            MaxUnavailable = layer.MaxUnavailable,
            Selector = PodParts.SelectorOf(workload.Name),
        },
    };
}
