using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoipPlatform.Router.Registrar;

/// <summary>
/// The JSON of a stored <see cref="Binding"/>, generated at build time: each REGISTER writes and reads bindings, and
/// the reflection-based serializer cost more per call than the registrar's own logic.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Binding))]
internal sealed partial class RegistrarJson : JsonSerializerContext;
