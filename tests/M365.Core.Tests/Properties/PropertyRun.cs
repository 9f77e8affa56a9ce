using CsCheck;

namespace M365.Core.Tests.Properties;

/// <summary>
/// How long a property runs: a bounded number of cases in the test command (<see cref="Test"/>), or for a number of seconds
/// from the fuzz runner (bench/M365.Fuzz). When a case fails, CsCheck shrinks it and puts the seed in the exception's
/// message; set <c>CsCheck_Seed</c> (or pass <c>--seed</c> to the runner) to replay it.
/// </summary>
public readonly record struct PropertyRun(long Iterations, int Seconds, string? Seed, Action<string>? WriteLine = null)
{
    /// <summary>
    /// The test command's budget: 200 cases per property on one thread, from a fixed seed so the command never fails by
    /// chance (CsCheck_Seed overrides it); the runner explores from random seeds.
    /// </summary>
    public static PropertyRun Test => new(200, -1, Environment.GetEnvironmentVariable("CsCheck_Seed") ?? "8aZfwfuZcIq1");

    /// <summary>Runs <paramref name="assert"/> on generated cases; it throws (with the shrunk case and the seed) on a failure.</summary>
    public void Check<T>(Gen<T> gen, Action<T> assert, Func<T, string>? print = null) =>
        gen.Sample(
            assert,
            writeLine: WriteLine,
            seed: Seed,
            iter: Seconds > 0 ? -1 : Iterations,
            time: Seconds > 0 ? Seconds : -1,
            threads: 1,
            print: print);
}

/// <summary>One property, by name, as the fuzz runner lists and runs it.</summary>
public sealed record PropertyTarget(string Target, string Name, Action<PropertyRun> Run);

/// <summary>A parser's properties, listed for the fuzz runner.</summary>
public interface IPropertySuite
{
    /// <summary>The properties, each named and runnable for a given budget.</summary>
    static abstract IEnumerable<PropertyTarget> Targets { get; }
}

/// <summary>Runs each of a suite's properties as one test case, with the test command's budget.</summary>
public abstract class PropertySuite<TSuite>
    where TSuite : IPropertySuite
{
    public static TheoryData<string> Names => new(TSuite.Targets.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Holds(string property) => TSuite.Targets.Single(t => t.Name == property).Run(PropertyRun.Test);
}

/// <summary>Every parser's properties, by target name, for the fuzz runner.</summary>
public static class PropertyTargets
{
    public static IReadOnlyList<PropertyTarget> All { get; } =
    [
        .. RetryAfterProperties.Targets,
        .. ODataPagerProperties.Targets,
        .. GraphBatchProperties.Targets,
        .. JwtPayloadProperties.Targets,
        .. SandboxDescriptorProperties.Targets,
        .. ResourceResolverProperties.Targets,
        .. PersistedConnectionProperties.Targets,
    ];
}
