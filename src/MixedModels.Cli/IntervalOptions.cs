using System.CommandLine;
using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Cli;

/// <summary>The interval options shared by <c>confint</c> and <c>tidy</c>: method, level, bootstrap replicates and seed.</summary>
internal sealed class IntervalOptions
{
    private readonly Option<string> _method;
    private readonly Option<double> _level = new("--level") { Description = "Confidence level", DefaultValueFactory = _ => 0.95 };
    private readonly Option<int> _nsim = new("--nsim") { Description = "Bootstrap replicates", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _seed = new("--seed") { Description = "Bootstrap seed (the same seed gives the same intervals)", DefaultValueFactory = _ => 1 };

    /// <param name="name">The method option's name (--method or --conf-method).</param>
    /// <param name="description">What the choices mean.</param>
    /// <param name="defaultMethod">The default choice.</param>
    /// <param name="choices">The accepted choices among wald, profile, boot, none.</param>
    public IntervalOptions(string name, string description, string defaultMethod, params string[] choices)
    {
        _method = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultMethod };
        _method.AcceptOnlyFromAmong(choices);
    }

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { _method, _level, _nsim, _seed }) command.Add(o);
    }

    /// <summary>The validated choices.</summary>
    public (IntervalMethod Method, double Level, int Replicates, int Seed) Parse(ParseResult parse)
    {
        double level = ModelOptions.Level(parse.GetValue(_level));
        int replicates = parse.GetValue(_nsim);
        if (replicates < 1 || replicates > Inference.ParametricBootstrap.MaxReplicates)
            throw new UsageException($"--nsim {replicates}: give between 1 and {Inference.ParametricBootstrap.MaxReplicates:N0} bootstrap replicates");
        var method = parse.GetValue(_method) switch
        {
            "wald" => IntervalMethod.Wald,
            "boot" => IntervalMethod.Bootstrap,
            "none" => IntervalMethod.None,
            _ => IntervalMethod.Profile,
        };
        return (method, level, replicates, parse.GetValue(_seed));
    }

    /// <summary>A progress bar for the methods that take a while (bootstrap, profile); null for the others or when not interactive.</summary>
    public static ProgressBar? Progress(IntervalMethod method, LinearMixedModel model, int replicates) => method switch
    {
        IntervalMethod.Bootstrap => ProgressBar.Start("bootstrap", replicates),
        IntervalMethod.Profile => ProgressBar.Start("profile", ProfileLikelihood.ParameterCount(model)),
        _ => null,
    };
}
