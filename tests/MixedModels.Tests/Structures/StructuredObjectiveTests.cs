using MixedModels.Data;
using MixedModels.Estimation;
using MixedModels.Results;
using MixedModels.Tests.Estimation;
using Xunit;

namespace MixedModels.Tests.Structures;

/// <summary>
/// The structured objective: an evaluation allocates nothing (the rows are transformed into kept buffers and A is
/// refilled in place), the bidiagonal AR(1) transform and the θ scaling by the variance function's geometric mean are
/// exact reparameterizations (the criterion equals one computed from a fresh workspace on the plainly transformed rows).
/// </summary>
[Collection(nameof(AllocationMeasurement))]
public sealed class StructuredObjectiveTests
{
    private static Table Data(string name) => Table.ReadCsv(Path.Combine(AppContext.BaseDirectory, "Reference", "nlme", "data", name + ".csv"));

    public static TheoryData<string, string, string[]> Models() => new()
    {
        { "ovary", "lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), random = ~ 1 | Mare, correlation = corAR1())", ["Mare"] },
        { "bodyweight", "lme(weight ~ Time * Diet, random = ~ Time | Rat, weights = varPower(), correlation = corCAR1(form = ~ Time))", ["Rat", "Diet"] },
        { "orthodont", "gls(distance ~ age * Sex, correlation = corSymm(form = ~ 1 | Subject), weights = varIdent(form = ~ 1 | age))", ["Subject", "Sex"] },
        { "ovary", "gls(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), correlation = corARMA(form = ~ 1 | Mare, p = 1, q = 1))", ["Mare"] },
        { "orthodont", "lme(distance ~ age, random = ~ 1 | Subject, correlation = corExp(form = ~ age | Subject, nugget = TRUE), weights = varComb(varIdent(form = ~ 1 | Sex), varExp(form = ~ age)))", ["Subject", "Sex"] },
        { "orthodont", "gls(distance ~ age, correlation = corCompSymm(form = ~ 1 | Subject), weights = varConstPower(form = ~ age))", ["Subject", "Sex"] },
    };

    private static NlmeModel Fit(string data, string call, string[] factors)
    {
        var table = Data(data);
        foreach (var f in factors) table = table.AsFactor(f);
        return ModelCall.Parse(call).FitNlme(table);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void AnEvaluationAllocatesNothing(string data, string call, string[] factors)
    {
        var (objective, x) = Fit(data, call, factors).ObjectiveAtEstimates();
        void Evaluate()
        {
            for (int i = 0; i < 5; i++) { x[0] *= 1.001; objective.Evaluate(x); }
        }
        Assert.Equal(0, WorkspaceTests.SteadyStateAllocation(Evaluate));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TheObjectiveIsTheCriterionOfThePlainlyTransformedRows(string data, string call, string[] factors)
    {
        var fit = Fit(data, call, factors);
        var (objective, x) = fit.ObjectiveAtEstimates();
        int k = objective.ThetaLength;
        // Away from the optimum too: θ and the structures' parameters moved.
        for (int i = 0; i < x.Length; i++) x[i] += 0.05 * (i + 1);
        double value = objective.Evaluate(x);
        var structure = x[k..];
        double scale = Math.Exp(objective.LogScale(structure.AsSpan(objective.CorrelationLength)));
        var transformed = objective.Transform(structure)!;
        var theta = x[..k].Select(t => t * scale).ToArray();
        double plain = new LmmWorkspace(transformed, fit.Reml).Objective(theta) - 2 * objective.LogJacobian;
        Assert.Equal(plain, value, 1e-9 * Math.Abs(plain));
        // The final model's log-likelihood is the objective's at the estimates.
        var (o2, x2) = fit.ObjectiveAtEstimates();
        Assert.Equal(-2 * fit.LogLikelihood, o2.Evaluate(x2), 1e-6 * Math.Abs(fit.LogLikelihood));
    }

    [Fact]
    public void TheAr1FactorAgreesWithTheDenseOne()
    {
        // corAR1 takes the bidiagonal inverse factor, corARMA(p = 1) the dense Cholesky path: the same model.
        var ar1 = Fit("ovary", "lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), random = ~ 1 | Mare, correlation = corAR1())", ["Mare"]);
        var arma = Fit("ovary", "lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), random = ~ 1 | Mare, correlation = corARMA(p = 1))", ["Mare"]);
        Assert.Equal(arma.LogLikelihood, ar1.LogLikelihood, 1e-7 * Math.Abs(ar1.LogLikelihood));
        Assert.Equal(arma.CorrelationParameters()[0].Value, ar1.CorrelationParameters()[0].Value, 1e-4);
    }

    [Fact]
    public void VarFixedTakesItsFormulaAsValue()
    {
        // nlme's signature is varFixed(value = ~ 1): the named and the positional formula are the same model.
        var named = Fit("orthodont", "gls(distance ~ age, weights = varFixed(value = ~ age))", ["Subject", "Sex"]);
        var positional = Fit("orthodont", "gls(distance ~ age, weights = varFixed(~ age))", ["Subject", "Sex"]);
        Assert.Equal(positional.LogLikelihood, named.LogLikelihood, 1e-9);
    }

    [Fact]
    public void GetVarCovIsOnTheColumnsOwnScaleWhenATermIsCentredInternally()
    {
        // age + 1000 is far from zero for its spread, so the term's slope column is centred inside the fit; getVarCov's
        // D is the summary's (the columns' own scale), and the marginal covariance is the plain-age model's.
        var shifted = Fit("orthodont", "lme(distance ~ I(age + 1000), random = ~ I(age + 1000) | Subject, correlation = corAR1())", ["Subject", "Sex"]);
        var plain = Fit("orthodont", "lme(distance ~ age, random = ~ age | Subject, correlation = corAR1())", ["Subject", "Sex"]);
        Assert.True(shifted.Design.TermsArray[0].IsCentred);
        var d = shifted.RandomEffectsCovariance();
        var component = shifted.Transformed.VarianceComponents[0];
        for (int i = 0; i < 2; i++) Assert.Equal(component.StandardDeviations[i], Math.Sqrt(d[i, i]), 1e-9 * component.StandardDeviations[i]);
        Assert.Equal(plain.RandomEffectsCovariance()[1, 1], d[1, 1], 1e-4 * d[1, 1]);
        var a = shifted.GroupCovariance(1);
        var b = plain.GroupCovariance(1);
        for (int i = 0; i < a.Size; i++)
            for (int j = 0; j < a.Size; j++) Assert.Equal(b[i, j], a[i, j], 1e-4 * b[0, 0]);
    }
}
