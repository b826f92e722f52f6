namespace MicAi.Tests.Deployment.Support;

/// <summary>
/// Why the image tests cannot run, when bin/test could not build the image outside CI (it exports the reason in
/// MICAI_TEST_IMAGE_SKIPPED; in CI it fails instead). Null otherwise: then a missing image fails the test.
/// </summary>
internal static class ContainerSkip
{
    public static string? Reason => Environment.GetEnvironmentVariable("MICAI_TEST_IMAGE_SKIPPED") is { Length: > 0 } why ? why : null;
}

/// <summary>A fact about the built image: reported skipped, with bin/test's reason, when the image could not be built.</summary>
public sealed class ContainerFactAttribute : FactAttribute
{
    public ContainerFactAttribute() => Skip = ContainerSkip.Reason;
}

/// <summary>A theory about the built image: reported skipped, with bin/test's reason, when the image could not be built.</summary>
public sealed class ContainerTheoryAttribute : TheoryAttribute
{
    public ContainerTheoryAttribute() => Skip = ContainerSkip.Reason;
}
