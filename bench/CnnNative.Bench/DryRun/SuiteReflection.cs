using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace CnnNative.Bench.DryRun;

/// <summary>
/// Reads a benchmark suite the way BenchmarkDotNet does: its [Benchmark] methods, the
/// setup/cleanup hooks, and every combination of [Params] / [ParamsSource] /
/// [ParamsAllValues] properties. What it cannot run (a benchmark method with parameters but
/// no [Arguments]) is an error, so a suite is never skipped silently.
/// </summary>
public static class SuiteReflection
{
    private const BindingFlags Instance = BindingFlags.Public | BindingFlags.Instance;
    private const BindingFlags AnyMember = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static |
                                           BindingFlags.Instance | BindingFlags.FlattenHierarchy;

    /// <summary>Public concrete classes in <paramref name="assembly"/> with at least one [Benchmark] method.</summary>
    public static IReadOnlyList<Type> Suites(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && Benchmarks(t).Count > 0)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<MethodInfo> Benchmarks(Type suite) => Marked<BenchmarkAttribute>(suite);

    public static IReadOnlyList<MethodInfo> Marked<TAttribute>(Type suite) where TAttribute : Attribute =>
        suite.GetMethods(Instance).Where(m => m.GetCustomAttribute<TAttribute>(inherit: true) is not null)
            .OrderBy(m => m.MetadataToken).ToList();

    /// <summary>Every parameter combination (one empty combination when the suite has no parameters).</summary>
    public static IReadOnlyList<BenchmarkCase> Cases(Type suite)
    {
        var axes = new List<(PropertyInfo Property, object?[] Values)>();
        foreach (var property in suite.GetProperties(Instance))
        {
            object?[]? values = ValuesOf(suite, property);
            if (values is not null) axes.Add((property, values));
        }
        var cases = new List<BenchmarkCase>();
        var current = new KeyValuePair<PropertyInfo, object?>[axes.Count];
        Expand(0);
        return cases;

        void Expand(int axis)
        {
            if (axis == axes.Count)
            {
                cases.Add(new BenchmarkCase(suite, [.. current]));
                return;
            }
            foreach (var value in axes[axis].Values)
            {
                current[axis] = new(axes[axis].Property, value);
                Expand(axis + 1);
            }
        }
    }

    private static object?[]? ValuesOf(Type suite, PropertyInfo property)
    {
        if (property.GetCustomAttribute<ParamsAttribute>(inherit: true) is { } fixedValues)
            return fixedValues.Values;
        if (property.GetCustomAttribute<ParamsSourceAttribute>(inherit: true) is { } source)
            return SourceValues(suite, source.Name);
        if (property.GetCustomAttribute<ParamsAllValuesAttribute>(inherit: true) is not null)
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type == typeof(bool)) return [false, true];
            if (type.IsEnum) return Enum.GetValues(type).Cast<object?>().ToArray();
            throw new InvalidOperationException($"{suite.Name}.{property.Name}: [ParamsAllValues] needs a bool or enum property.");
        }
        return null;
    }

    private static object?[] SourceValues(Type suite, string name)
    {
        object? target = null;
        object? result;
        if (suite.GetProperty(name, AnyMember) is { } property)
        {
            if (!property.GetMethod!.IsStatic) target = Activator.CreateInstance(suite);
            result = property.GetValue(target);
        }
        else if (suite.GetMethod(name, AnyMember, Type.EmptyTypes) is { } method)
        {
            if (!method.IsStatic) target = Activator.CreateInstance(suite);
            result = method.Invoke(target, null);
        }
        else if (suite.GetField(name, AnyMember) is { } field)
        {
            if (!field.IsStatic) target = Activator.CreateInstance(suite);
            result = field.GetValue(target);
        }
        else
        {
            throw new InvalidOperationException($"{suite.Name}: [ParamsSource(\"{name}\")] names no property, method or field.");
        }
        if (result is not System.Collections.IEnumerable values)
            throw new InvalidOperationException($"{suite.Name}.{name} must return a sequence of parameter values.");
        return values.Cast<object?>().ToArray();
    }

    /// <summary>The argument lists a benchmark method is run with: [Arguments] rows, or one empty list.</summary>
    public static IReadOnlyList<object?[]> ArgumentRows(MethodInfo benchmark)
    {
        if (benchmark.GetParameters().Length == 0) return [[]];
        var rows = benchmark.GetCustomAttributes<ArgumentsAttribute>(inherit: true).Select(a => a.Values).ToList();
        if (rows.Count == 0)
            throw new InvalidOperationException(
                $"{benchmark.DeclaringType!.Name}.{benchmark.Name} takes parameters but has no [Arguments]; the dry run cannot call it (add [Arguments] rows).");
        return rows;
    }
}
