using MicAi.Tests.Deployment.Support;

namespace MicAi.Tests.Deployment;

/// <summary>The Blueprints obey the Render spec rules they rely on, and the rule check catches each kind of slip.</summary>
public class RenderBlueprintSpecTests
{
    [Theory, MemberData(nameof(RenderBlueprintTests.Blueprints), MemberType = typeof(RenderBlueprintTests))]
    public void Blueprint_FollowsTheRenderSpecRulesItReliesOn(string file)
    {
        var violations = RenderBlueprintRules.Violations(RenderBlueprint.Load(file));
        Assert.True(violations.Count == 0, $"{file}:\n" + string.Join('\n', violations));
    }

    private const string Base = """
        envVarGroups:
          - name: shared
            envVars:
              - key: GROUPED
                value: "1"
        services:
          - type: web
            name: api
            runtime: docker
            envVars:
              - key: TOKEN
                sync: false
              - fromGroup: shared
          - type: keyvalue
            name: kv
            ipAllowList: []
        databases:
          - name: pg
        """;

    /// <summary>Appends one service whose envVars are the given YAML lines (indented for the list).</summary>
    private static RenderBlueprint WithWorker(string envVars, string baseYaml = Base) =>
        RenderBlueprint.Parse(baseYaml.Replace("databases:", $"""
              - type: worker
                name: worker
                runtime: docker
                envVars:
            {envVars}
            databases:
            """));

    [Fact]
    public void Rules_AcceptTheBaseFixture()
    {
        Assert.Empty(RenderBlueprintRules.Violations(RenderBlueprint.Parse(Base)));
    }

    [Fact]
    public void Rules_ReportSyncFalseInsideAGroup_WhichRenderIgnores()
    {
        var yaml = Base.Replace("""
                  - key: GROUPED
                    value: "1"
            """, """
                  - key: GROUPED
                    sync: false
            """);
        Assert.Contains(RenderBlueprintRules.Violations(RenderBlueprint.Parse(yaml)),
            v => v.Contains("envVarGroups[0].envVars[0]: a group holds only value or generateValue, not sync", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("      - key: A\n        fromDatabase:\n          name: nope\n          property: connectionString", "no database named 'nope'")]
    [InlineData("      - key: A\n        fromDatabase:\n          name: pg\n          property: hostport", "property must be one of")]
    [InlineData("      - key: A\n        fromService:\n          type: keyvalue\n          name: nope\n          property: connectionString", "no service named 'nope'")]
    [InlineData("      - key: A\n        fromService:\n          type: web\n          name: kv\n          property: connectionString", "type must be the referenced service's, keyvalue")]
    [InlineData("      - key: A\n        fromService:\n          type: keyvalue\n          name: kv\n          property: hostport", "a keyvalue service has no property 'hostport'")]
    [InlineData("      - key: A\n        fromService:\n          type: web\n          name: api\n          envVarKey: NOT_THERE", "api does not declare NOT_THERE itself")]
    [InlineData("      - key: A\n        fromService:\n          type: web\n          name: api\n          envVarKey: GROUPED", "api does not declare GROUPED itself")]
    [InlineData("      - fromGroup: nope", "no envVarGroups entry named 'nope'")]
    [InlineData("      - key: A\n        value: x\n        sync: false", "needs exactly one of")]
    [InlineData("      - key: TOKEN\n        sync: false", "TOKEN is prompted 2 times")]
    [InlineData("      - key: GROUPED\n        value: x\n      - fromGroup: shared", "GROUPED is set on the service and in shared")]
    public void Rules_ReportEachReferenceOrPromptTheSpecDoesNotAllow(string envVars, string expected)
    {
        var violations = RenderBlueprintRules.Violations(WithWorker(envVars));
        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Rules_AcceptAReferenceToAValuePromptedOnAnotherService()
    {
        var blueprint = WithWorker("      - key: TOKEN\n        fromService:\n          type: web\n          name: api\n          envVarKey: TOKEN");
        Assert.Empty(RenderBlueprintRules.Violations(blueprint));
        Assert.Equal("operator-typed-token", blueprint.SimulatedEnvironment(blueprint.Service("worker"))["TOKEN"]);
    }

    [Fact]
    public void Rules_ReportPreviewEnvironments_WhichNeverGetPromptedValues()
    {
        var violations = RenderBlueprintRules.Violations(RenderBlueprint.Parse("previews:\n  generation: automatic\n" + Base));
        Assert.Contains(violations, v => v.Contains("preview environments", StringComparison.Ordinal));
    }
}
