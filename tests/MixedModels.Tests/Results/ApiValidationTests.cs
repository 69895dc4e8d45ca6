using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Inference;
using MixedModels.Results;
using MixedModels.Tests.Cli;
using Xunit;

namespace MixedModels.Tests.Results;

/// <summary>The library refuses invalid options and arguments by name, and long runs can be cancelled (issue 10, point 6).</summary>
public sealed class ApiValidationTests
{
    private static readonly Table Sleep = Datasets.Load("sleepstudy");
    private const string Formula = "Reaction ~ Days + (Days | Subject)";

    [Fact]
    public void InvalidOptimizerSettingsAreRefusedByName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LinearMixedModel.Fit(Formula, Sleep, new FitOptions { Optimizer = new BobyqaOptions { MaxEvaluations = 0 } }));
        Assert.Equal("MaxEvaluations", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => LinearMixedModel.Fit(Formula, Sleep, new FitOptions { Optimizer = new BobyqaOptions { FinalRadius = 1, InitialRadius = 0.5 } }));
        Assert.Equal("FinalRadius", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => LinearMixedModel.Fit(Formula, Sleep, new FitOptions { Optimizer = new BobyqaOptions { InitialRadius = double.NaN } }));
        Assert.Equal("InitialRadius", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => GeneralizedLinearMixedModel.Fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", Datasets.Load("cbpp"),
            new GlmmFitOptions { Optimizer = new BobyqaOptions { MaxEvaluations = -1 } }));
        Assert.Equal("MaxEvaluations", e.ParamName);
    }

    [Fact]
    public void NullArgumentsAreArgumentNullExceptions()
    {
        Assert.Throws<ArgumentNullException>(() => CategoricalColumn.FromStrings("g", null!));
        Assert.Throws<ArgumentNullException>(() => Table.ReadCsv((TextReader)null!));
        Assert.Throws<ArgumentNullException>(() => Table.ReadCsv((Stream)null!));
        Assert.Throws<ArgumentNullException>(() => Table.FromDataReader(null!));
        Assert.Throws<ArgumentNullException>(() => LinearMixedModel.AtTheta(null!, [1.0]));
        Assert.Throws<ArgumentNullException>(() => LinearMixedModel.AtTheta(ModelDesign.Build(Formula, Sleep), null!));
    }

    [Fact]
    public void LevelsOutsideZeroToOneAreRefused()
    {
        var m = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", Sleep);
        var boot = ParametricBootstrap.Run(m, 5, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => boot.PercentileIntervals(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.RandomEffects()[0].Sorted(0, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParametricBootstrap.Run(m, int.MaxValue, 1));
    }

    [Fact]
    public void FitBootstrapAndProfileCanBeCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LinearMixedModel.Fit(Formula, Sleep, new FitOptions { Cancellation = cancelled.Token }));
        Assert.ThrowsAny<OperationCanceledException>(() => GeneralizedLinearMixedModel.Fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", Datasets.Load("cbpp"),
            new GlmmFitOptions { Cancellation = cancelled.Token }));
        var m = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", Sleep);
        Assert.ThrowsAny<OperationCanceledException>(() => ParametricBootstrap.Run(m, 100, 1, cancellation: cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => ProfileLikelihood.Intervals(m, cancellation: cancelled.Token));
        // a token that is never cancelled changes nothing
        using var live = new CancellationTokenSource();
        Assert.Equal(LinearMixedModel.Fit(Formula, Sleep).Objective, LinearMixedModel.Fit(Formula, Sleep, new FitOptions { Cancellation = live.Token }).Objective);
    }

    [Fact]
    public void SimulationsStreamInTheLongLayoutAndTheWideOneIsBounded()
    {
        var m = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", Sleep);
        var all = m.Simulate(3, 7);
        var each = m.SimulateEach(3, 7).ToArray();
        for (int s = 0; s < 3; s++) Assert.Equal(all[s], each[s]);
        var (code, text, err) = CliTests.Run("simulate", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (1 | Subject)", "--nsim", "3", "--seed", "7", "--layout", "long");
        Assert.True(code == 0, err);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sim,obs,value", lines[0]);
        Assert.Equal(1 + 3 * 180, lines.Length);
        Assert.Equal(all[2][179], double.Parse(lines[^1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture));
        BadInputTests.AssertUserError(["simulate", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (1 | Subject)", "--nsim", "3000000"], "--layout long");
        BadInputTests.AssertUserError(["confint", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (1 | Subject)", "--method", "boot", "--nsim", "2147483647"], "between 1 and 1,000,000");
    }
}
