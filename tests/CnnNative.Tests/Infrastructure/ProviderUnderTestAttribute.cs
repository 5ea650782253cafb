using Xunit.Abstractions;

namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// Names the provider a test class exercises: <c>[ProviderUnderTest("managed")]</c>. Its
/// <see cref="ProviderFactAttribute"/> and <see cref="ProviderTheoryAttribute"/> tests are
/// skipped with the provider's reason when it cannot run here and is not required.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ProviderUnderTestAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>The name on a concrete test class (reflection form).</summary>
    public static string Of(Type testClass) =>
        (testClass.GetCustomAttributes(typeof(ProviderUnderTestAttribute), inherit: false).FirstOrDefault() as ProviderUnderTestAttribute)?.Name
        ?? throw new InvalidOperationException(
            $"{testClass.Name} runs provider tests but has no [ProviderUnderTest(\"name\")] attribute naming its provider.");

    /// <summary>
    /// The provider a discovered test method exercises: the name passed to the fact attribute
    /// if any, else the class's <see cref="ProviderUnderTestAttribute"/>; null when neither says.
    /// </summary>
    public static string? Of(ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        if (factAttribute.GetConstructorArguments().FirstOrDefault() is string named && named.Length > 0)
            return named;
        var onClass = testMethod.TestClass.Class.GetCustomAttributes(typeof(ProviderUnderTestAttribute)).FirstOrDefault();
        return onClass?.GetConstructorArguments().FirstOrDefault() as string;
    }
}
