using System.CommandLine;
using System.Globalization;
using CnnNative.Nn.Training;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Cli;

/// <summary>
/// The divergence rule of <c>cnn train</c> (<see cref="DivergenceRule"/>): the
/// <c>Training:Divergence</c> section of appsettings.json (keys <c>LossFactor</c>,
/// <c>ChanceEpochs</c>, <c>ChanceMargin</c>; <c>CNN_Training__Divergence__LossFactor</c> and so
/// on), overridden by <c>--divergence-factor</c>, <c>--chance-epochs</c> and
/// <c>--chance-margin</c>. A value out of range is refused naming where it came from.
/// </summary>
internal sealed class DivergenceOptions
{
    /// <summary>The configuration section of the rule.</summary>
    public const string SectionName = "Training:Divergence";

    private readonly Option<double?> _lossFactor = new("--divergence-factor")
    {
        Description = $"Stop as diverged when an epoch's mean loss exceeds this many times ln(classes), the loss of guessing (default {DivergenceRule.DefaultLossFactor}; 0 turns the rule off).",
        HelpName = "X",
    };

    private readonly Option<int?> _chanceEpochs = new("--chance-epochs")
    {
        Description = $"Stop as diverged after this many epochs in a row at chance level: training accuracy within --chance-margin of 1/classes, loss within that fraction of ln(classes) (default {DivergenceRule.DefaultChanceEpochs}; 0 turns the rule off).",
        HelpName = "N",
    };

    private readonly Option<double?> _chanceMargin = new("--chance-margin")
    {
        Description = $"How close to chance level an epoch must stay for --chance-epochs (default {DivergenceRule.DefaultChanceMargin}).",
        HelpName = "F",
    };

    /// <summary>Puts the three options on <paramref name="command"/>.</summary>
    public void Add(Command command)
    {
        command.Options.Add(_lossFactor);
        command.Options.Add(_chanceEpochs);
        command.Options.Add(_chanceMargin);
    }

    /// <summary>The rule: defaults, then the configuration's values, then the options given.</summary>
    /// <exception cref="CliException">A configuration value that is not a number, or any value out of range.</exception>
    public DivergenceRule Read(ParseResult parse, IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection(SectionName);
        var rule = DivergenceRule.Default;
        (string LossFactor, string ChanceEpochs, string ChanceMargin) names = (
            Key(nameof(DivergenceRule.LossFactor)), Key(nameof(DivergenceRule.ChanceEpochs)), Key(nameof(DivergenceRule.ChanceMargin)));

        if (parse.GetValue(_lossFactor) is { } factor) (rule, names.LossFactor) = (rule with { LossFactor = factor }, _lossFactor.Name);
        else if (Number(section, nameof(DivergenceRule.LossFactor)) is { } configured) rule = rule with { LossFactor = configured };

        if (parse.GetValue(_chanceEpochs) is { } epochs) (rule, names.ChanceEpochs) = (rule with { ChanceEpochs = epochs }, _chanceEpochs.Name);
        else if (Number(section, nameof(DivergenceRule.ChanceEpochs)) is { } configured)
        {
            if (configured != Math.Floor(configured) || Math.Abs(configured) > int.MaxValue)
                throw new CliException($"{Key(nameof(DivergenceRule.ChanceEpochs))} is {configured.ToString(CultureInfo.InvariantCulture)}; give a whole number of epochs.", ExitCodes.Failure);
            rule = rule with { ChanceEpochs = (int)configured };
        }

        if (parse.GetValue(_chanceMargin) is { } margin) (rule, names.ChanceMargin) = (rule with { ChanceMargin = margin }, _chanceMargin.Name);
        else if (Number(section, nameof(DivergenceRule.ChanceMargin)) is { } configured) rule = rule with { ChanceMargin = configured };

        if (rule.Problem(names) is { } problem)
            throw new CliException(problem, problem.StartsWith("--", StringComparison.Ordinal) ? ExitCodes.Usage : ExitCodes.Failure);
        return rule;
    }

    private static string Key(string name) => $"{SectionName}:{name} (appsettings.json or CNN_{SectionName.Replace(":", "__", StringComparison.Ordinal)}__{name})";

    /// <summary>The key's value as a number, null when unset; text that is no number is refused.</summary>
    private static double? Number(IConfigurationSection section, string name)
    {
        string? text = section[name];
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new CliException($"{Key(name)} is '{text}', not a number; fix or remove the setting.", ExitCodes.Failure);
        return value;
    }
}
