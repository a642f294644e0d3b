using System.Net;
using System.Text.Json;

namespace VoipPlatform.Tests.AppLayer.Infrastructure;

/// <summary>Assertions on the API's RFC 9457 problem responses.</summary>
public static class ProblemAssert
{
    /// <summary>A 400 <c>application/problem+json</c> whose <c>errors</c> names <paramref name="field"/>.</summary>
    public static async Task ValidationErrorAsync(HttpResponseMessage response, string field)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var errors = document.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors does not name '{field}': {body}");
    }

    /// <summary>A problem response with the given status.</summary>
    public static async Task StatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
