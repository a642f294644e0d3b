#pragma warning disable ASPIREPIPELINES001 // The pipeline step API is experimental in Aspire 13.6.
#pragma warning disable ASPIREPIPELINES004 // IPipelineOutputService likewise.
using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// <c>aspire publish</c> for Kubernetes: Aspire.Hosting.Kubernetes is not served here, so this pipeline step builds
/// typed Kubernetes objects from the app model and writes a Helm chart and plain manifests (docs/kubernetes.md).
/// </summary>
internal static class KubernetesPublishingExtensions
{
    private const string StepName = "publish-kubernetes";

    public static IDistributedApplicationBuilder AddKubernetesPublishing(this IDistributedApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KubernetesPublishOptions.SectionName).Get<KubernetesPublishOptions>()
            ?? new KubernetesPublishOptions();

        builder.Pipeline.AddStep(StepName, async context =>
        {
            options.Validate();
            string output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();

            var workloads = PlatformWorkloads.From(context.Model);
            var environments = new Dictionary<Workload, WorkloadEnvironment>();
            foreach (var workload in workloads)
            {
                environments[workload] = await WorkloadEnvironment.GatherAsync(workload.Resource, context.ExecutionContext, context.CancellationToken);
            }
            var parameters = new Dictionary<ParameterResource, string?>();
            foreach (var parameter in context.Model.Resources.OfType<ParameterResource>()
                .Concat(environments.Values.SelectMany(e => e.Parameters())).Distinct())
            {
                // A secret's value is never read: the chart refers to a Secret created in the cluster.
                parameters[parameter] = parameter.Secret ? null : await parameter.GetValueAsync(context.CancellationToken);
            }
            var values = ChartValuesFactory.Create(workloads, parameters, options);
            var objects = new PlatformObjects(workloads, environments);

            await ChartWriter.WriteAsync(output, values, objects.Build, options.ImageTag, context.CancellationToken);
            context.Logger.LogInformation("Kubernetes: Helm chart and manifests for {Count} workloads written to {Output}", workloads.Count, output);
        }, requiredBy: WellKnownPipelineSteps.Publish);
        return builder;
    }
}
