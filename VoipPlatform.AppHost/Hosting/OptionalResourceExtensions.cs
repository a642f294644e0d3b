namespace VoipPlatform.AppHost.Hosting;

/// <summary>
/// Wiring to resources that may be absent in a run (no container runtime, binary not installed):
/// nothing may wait on a resource that will never start.
/// </summary>
internal static class OptionalResourceExtensions
{
    public static IResourceBuilder<T> WithReferenceIfPresent<T>(
        this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString>? dependency)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport =>
        dependency is null ? builder : builder.WithReference(dependency).WaitFor(dependency);

    public static IResourceBuilder<T> WaitForIfPresent<T>(
        this IResourceBuilder<T> builder, IResourceBuilder<IResource>? dependency)
        where T : IResourceWithWaitSupport =>
        dependency is null ? builder : builder.WaitFor(dependency);

    /// <summary>Injects <c>services__{name}__{endpoint}__0</c> when the resource exists; no waiting.</summary>
    public static IResourceBuilder<T> WithEndpointReferenceIfPresent<T>(
        this IResourceBuilder<T> builder, IResourceBuilder<ContainerResource>? dependency, string endpointName)
        where T : IResourceWithEnvironment =>
        dependency is null ? builder : builder.WithReference(dependency.GetEndpoint(endpointName));
}
