using System.Text.Json;
using VoipPlatform.Tests.AppLayer.Infrastructure;

namespace VoipPlatform.Tests.AppLayer;

[Collection(AppLayerCollection.Name)]
public sealed class OpenApiTests(AppLayerFixture fixture)
{
    [Theory]
    [InlineData("/v1/calls/route", "post")]
    [InlineData("/v1/domains/{domain}", "get")]
    [InlineData("/v1/domains/{domain}/users", "post")]
    [InlineData("/v1/domains/{domain}/users/{user}/credentials", "get")]
    [InlineData("/v1/domains/{domain}/users/{user}/rule", "put")]
    [InlineData("/v1/domains/{domain}/numbers", "post")]
    [InlineData("/v1/admin/seed", "post")]
    public async Task Endpoint_is_in_the_openapi_document_with_a_summary(string path, string method)
    {
        using var document = JsonDocument.Parse(await fixture.Http.GetStringAsync("/openapi/v1.json"));
        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
    }
}
