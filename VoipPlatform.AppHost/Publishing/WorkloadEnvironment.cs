using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using k8s.Models;

namespace VoipPlatform.AppHost.Publishing;

/// <summary>
/// The environment the app model gives a workload, as it runs in Kubernetes: references to other resources become
/// their Services (<c>services__applayer__http__0</c> → <c>http://applayer-service:8080</c>, ports from the values),
/// secret parameters become <c>secretKeyRef</c>s (a value that embeds one, like a Redis connection string, refers to it
/// as <c>$(VAR)</c>, which Kubernetes expands), plain strings go into the workload's ConfigMap. Layer builders then add
/// or replace the settings that only make sense in a cluster.
/// </summary>
internal sealed class WorkloadEnvironment
{
    /// <summary>Prefix of the helper variables that carry a secret into composed values.</summary>
    private const string SecretVariablePrefix = "VP_SECRET_";

    private readonly List<KeyValuePair<string, object>> _raw;

    private WorkloadEnvironment(List<KeyValuePair<string, object>> raw) => _raw = raw;

    /// <summary>Runs the resource's environment callbacks as a publish would.</summary>
    public static async Task<WorkloadEnvironment> GatherAsync(IResource resource, DistributedApplicationExecutionContext executionContext,
        CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(executionContext, resource, variables, cancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        return new WorkloadEnvironment([.. variables]);
    }

    /// <summary>
    /// The parameters the environment uses, also inside composed values (a Redis password is not among the model's
    /// resources, only inside its connection string).
    /// </summary>
    public IEnumerable<ParameterResource> Parameters() => _raw.SelectMany(kv => ParametersIn(kv.Value));

    private static IEnumerable<ParameterResource> ParametersIn(object? value) => value switch
    {
        ParameterResource parameter => [parameter],
        ConnectionStringReference connection => ParametersIn(connection.Resource.ConnectionStringExpression),
        IResourceWithConnectionString resource => ParametersIn(resource.ConnectionStringExpression),
        ReferenceExpression expression => expression.ValueProviders.SelectMany(ParametersIn),
        _ => [],
    };

    /// <summary>The variables for <paramref name="values"/>: <c>Config</c> for the ConfigMap, <c>Env</c> for the container.</summary>
    public TranslatedEnvironment Translate(IReadOnlyList<Workload> workloads, ChartValues values)
    {
        var result = new TranslatedEnvironment();
        foreach (var (name, value) in _raw)
        {
            var translator = new ValueTranslator(workloads, values, result);
            string? text = translator.Translate(value);
            if (text is null)
            {
                continue; // A reference to something not published (another replica's or an https endpoint).
            }
            if (translator.SecretOnly is { } secret)
            {
                result.Env.Add(new V1EnvVar { Name = name, ValueFrom = secret });
            }
            else if (translator.UsesSecret)
            {
                result.Env.Add(new V1EnvVar { Name = name, Value = text });
            }
            else
            {
                result.Config[name] = text;
            }
        }
        return result;
    }

    private sealed class ValueTranslator(IReadOnlyList<Workload> workloads, ChartValues values, TranslatedEnvironment result)
    {
        private bool _unpublished;

        public bool UsesSecret { get; private set; }

        /// <summary>Set when the whole value is one secret parameter.</summary>
        public V1EnvVarSource? SecretOnly { get; private set; }

        public string? Translate(object value)
        {
            if (value is ParameterResource { Secret: true } parameter)
            {
                SecretOnly = SecretSource(parameter);
                return string.Empty;
            }
            string text = Text(value);
            return _unpublished ? null : text;
        }

        private string Text(object? value) => value switch
        {
            null => string.Empty,
            string s => s,
            ParameterResource { Secret: true } parameter => SecretVariable(parameter),
            ParameterResource parameter => values.Parameters[ValuePlaceholders.ValuesKey(parameter.Name)],
            EndpointReference endpoint => Endpoint(endpoint, EndpointProperty.Url),
            EndpointReferenceExpression expression => Endpoint(expression.Endpoint, expression.Property),
            ConnectionStringReference connection => Text(connection.Resource.ConnectionStringExpression),
            IResourceWithConnectionString resource => Text(resource.ConnectionStringExpression),
            // e.g. ",ssl=true" only when the endpoint has TLS: decided by the cluster form of the condition.
            ReferenceExpression { IsConditional: true } conditional =>
                Text(string.Equals(Text(conditional.Condition), conditional.MatchValue, StringComparison.OrdinalIgnoreCase)
                    ? conditional.WhenTrue : conditional.WhenFalse),
            ReferenceExpression expression => string.Format(CultureInfo.InvariantCulture, expression.Format,
                expression.ValueProviders.Select(Text).ToArray<object?>()),
            _ => throw new NotSupportedException($"No Kubernetes form for a {value.GetType().Name} in the environment."),
        };

        private string Endpoint(EndpointReference endpoint, EndpointProperty property)
        {
            if (!PlatformWorkloads.IsPublished(endpoint.EndpointAnnotation)
                || workloads.Of(endpoint.Resource) is var workload && workload.Resource.Name != endpoint.Resource.Name)
            {
                _unpublished = true;
                return string.Empty;
            }
            string host = KubernetesNaming.ServiceName(workload.Name);
            string port = PodParts.Number(PortOf(workload, endpoint.EndpointName));
            return property switch
            {
                EndpointProperty.Url => $"{endpoint.EndpointAnnotation.UriScheme}://{host}:{port}",
                EndpointProperty.Host or EndpointProperty.IPV4Host => host,
                EndpointProperty.Port or EndpointProperty.TargetPort => port,
                EndpointProperty.HostAndPort => $"{host}:{port}",
                EndpointProperty.Scheme => endpoint.EndpointAnnotation.UriScheme,
                EndpointProperty.TlsEnabled => bool.FalseString,
                _ => throw new NotSupportedException($"No Kubernetes form for endpoint property {property}."),
            };
        }

        private int PortOf(Workload workload, string endpointName)
        {
            string key = ValuePlaceholders.ValuesKey(endpointName);
            var ports = workload.Layer switch
            {
                WorkloadLayer.EdgeProxy => values.Proxy.Ports,
                WorkloadLayer.Media => values.Media.Ports,
                WorkloadLayer.Consul => values.Consul.Ports,
                WorkloadLayer.Redis => values.Redis.Ports,
                _ => values.Stateless[ValuePlaceholders.ValuesKey(workload.Name)].Ports,
            };
            return ports[key];
        }

        private V1EnvVarSource SecretSource(ParameterResource parameter)
        {
            var secret = values.Secrets.Parameters[ValuePlaceholders.ValuesKey(parameter.Name)];
            return new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret.ExistingSecret, Key = secret.Key } };
        }

        /// <summary>Defines (once) a variable holding the secret and refers to it; Kubernetes expands <c>$(NAME)</c>.</summary>
        private string SecretVariable(ParameterResource parameter)
        {
            UsesSecret = true;
            string name = SecretVariablePrefix + ValuePlaceholders.ValuesKey(parameter.Name).ToUpperInvariant();
            if (!result.Env.Any(e => e.Name == name))
            {
                result.Env.Insert(0, new V1EnvVar { Name = name, ValueFrom = SecretSource(parameter) });
            }
            return $"$({name})";
        }
    }
}

/// <summary>A workload's environment: plain settings for its ConfigMap, and variables that must stay in the pod spec.</summary>
internal sealed class TranslatedEnvironment
{
    /// <summary>Plain strings, written into <c>&lt;workload&gt;-config</c> and loaded with <c>envFrom</c>.</summary>
    public SortedDictionary<string, string> Config { get; } = new(StringComparer.Ordinal);

    /// <summary>Secret references, pod fields, and values built from them (in dependency order).</summary>
    public List<V1EnvVar> Env { get; } = [];

    /// <summary>A cluster-only setting: replaces the model's value of the same name.</summary>
    public TranslatedEnvironment Set(string name, string value)
    {
        Env.RemoveAll(e => e.Name == name);
        Config[name] = value;
        return this;
    }

    /// <summary>A setting taken from the pod (e.g. <c>status.podIP</c>), defined before any value that uses it.</summary>
    public TranslatedEnvironment SetFromField(string name, string fieldPath)
    {
        Config.Remove(name);
        Env.RemoveAll(e => e.Name == name);
        Env.Insert(0, PodParts.EnvFromField(name, fieldPath));
        return this;
    }

    /// <summary>A setting that refers to other variables as <c>$(NAME)</c>: kept in the pod spec, after them.</summary>
    public TranslatedEnvironment SetComposed(string name, string value)
    {
        Config.Remove(name);
        Env.RemoveAll(e => e.Name == name);
        Env.Add(new V1EnvVar { Name = name, Value = value });
        return this;
    }
}
