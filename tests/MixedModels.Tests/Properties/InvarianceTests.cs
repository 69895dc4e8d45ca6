using FsCheck;
using FsCheck.Fluent;
using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Properties;

/// <summary>
/// A fit is invariant under y → a·(y + b) and, for a fixed-effects covariate, x → a·(x + b) (issue 10: a response mean of
/// 10⁹ gave a wrong fit printed as converged). The data are integers and a is a power of two, so the transformed
/// values are exact and any difference is the engine's: at the same θ, σ/a, β, the SEs and the criterion (less its
/// known log|a| terms) agree to 1e-8 relative (the criterion 1e-10) for |b| / SD up to 10¹²; a refit reaches the same
/// criterion to 1e-10 and the same θ to the optimizer's stopping precision.
/// </summary>
public sealed class InvarianceTests
{
    /// <summary>Integer y (SD ~ 50), integer x 0..9, z in 1..4, 10 groups g.</summary>
    private static Table Data(int seed)
    {
        var rnd = new Random(seed);
        int groups = 10, per = 8, n = groups * per;
        var y = new double[n]; var x = new double[n]; var z = new double[n]; var g = new string[n];
        for (int j = 0; j < groups; j++)
        {
            double b0 = rnd.Next(-40, 40), b1 = rnd.Next(-5, 6);
            for (int i = 0; i < per; i++)
            {
                int r = j * per + i;
                x[r] = i + rnd.Next(0, 2);
                z[r] = rnd.Next(1, 5);
                g[r] = "g" + j;
                y[r] = 250 + b0 + (10 + b1) * x[r] - 3 * z[r] + rnd.Next(-30, 31);
            }
        }
        return new Table([new NumericColumn("y", y), new NumericColumn("x", x), new NumericColumn("z", z), CategoricalColumn.FromStrings("g", g)]);
    }

    private static Table Transform(Table data, string column, double a, double b)
    {
        var v = ((NumericColumn)data[column]).Values.ToArray();
        for (int i = 0; i < v.Length; i++) v[i] = a * (v[i] + b); // integer + integer, then a power of two: exact
        return data.With(new NumericColumn(column, v));
    }

    private static bool Close(double a, double b, double tol) => Math.Abs(a - b) <= tol * Math.Max(Math.Abs(a), Math.Abs(b)) + 1e-300;

    private static readonly Gen<string> Formulas = Gen.Elements(
        "y ~ x + (1 | g)", "y ~ x + z + (1 | g)", "y ~ x + (x | g)", "y ~ x + z + (z || g)", "y ~ x * z + (1 | g)");

    private static Gen<(int Seed, string Formula, int Power, double Shift, bool Ml)> Cases =>
        from seed in Gen.Choose(1, 10_000)
        from f in Formulas
        from power in Gen.Choose(-10, 20)
        from exponent in Gen.Elements(0, 3, 6, 9, 12)
        from sign in Gen.Elements(-1, 1)
        from ml in Gen.Elements(false, true)
        select (seed, f, power, sign * Math.Pow(10, exponent), ml);

    [Fact]
    public void ShiftingAndScalingTheResponseChangesNothingButItsUnits() =>
        Prop.ForAll(Arb.From(Cases), c =>
        {
            var data = Data(c.Seed);
            double sd = 50, a = Math.Pow(2, c.Power), b = Math.Round(c.Shift * sd);
            var options = new MixedModels.Estimation.FitOptions { Reml = !c.Ml };
            var m0 = LinearMixedModel.Fit(c.Formula, data, options);
            var design1 = ModelDesign.Build(c.Formula, Transform(data, "y", a, b));
            var m1 = LinearMixedModel.AtTheta(design1, m0.Theta, !c.Ml);
            var fit1 = LinearMixedModel.Fit(design1, options);
            int n = data.RowCount, p = m0.FixedEffects.Count;
            double expected = m0.Objective + (c.Ml ? n : n - p) * 2 * Math.Log(a);
            var bad = new List<string>();
            void Ok(bool v, string what) { if (!v) bad.Add(what); }
            Ok(Close(m1.Objective, expected, 1e-10), $"objective {m1.Objective:R} vs {expected:R}");
            Ok(Close(m1.Sigma, a * m0.Sigma, 1e-8), $"sigma {m1.Sigma:R} vs {a * m0.Sigma:R}");
            // the refit's θ agrees to the optimizer's stopping precision (its path sees rounding-level differences)
            Ok(Close(fit1.Objective, expected, 1e-10), $"refit objective {fit1.Objective:R} vs {expected:R}");
            for (int i = 0; i < m0.Theta.Count; i++) Ok(Math.Abs(fit1.Theta[i] - m0.Theta[i]) <= 2e-5 * (1 + Math.Abs(m0.Theta[i])), $"theta[{i}] {fit1.Theta[i]:R} vs {m0.Theta[i]:R}");
            for (int i = 0; i < p; i++)
            {
                Ok(Close(m1.FixedEffects[i].StandardError, a * m0.FixedEffects[i].StandardError, 1e-8), $"SE[{i}] {m1.FixedEffects[i].StandardError:R} vs {a * m0.FixedEffects[i].StandardError:R}");
                double est = a * (m0.FixedEffects[i].Estimate + (i == 0 ? b : 0));
                Ok(Math.Abs(m1.FixedEffects[i].Estimate - est) <= 1e-8 * a * m0.FixedEffects[i].StandardError * 100 + 1e-15 * a * Math.Abs(b), $"beta[{i}] {m1.FixedEffects[i].Estimate:R} vs {est:R}");
            }
            if (bad.Count > 0) throw new Xunit.Sdk.XunitException($"{c}: " + string.Join("; ", bad));
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void ShiftingAndScalingAFixedCovariateChangesOnlyItsCoefficient() =>
        Prop.ForAll(Arb.From(Cases), c =>
        {
            if (c.Formula.Contains("(x")) return true; // x in a random slope: DesignConditioningTests
            var data = Data(c.Seed);
            double sd = 3, a = Math.Pow(2, c.Power), b = Math.Round(c.Shift * sd);
            var options = new MixedModels.Estimation.FitOptions { Reml = !c.Ml };
            string formula = c.Formula.Replace("x * z", "x + z");
            var m0 = LinearMixedModel.Fit(formula, data, options);
            var design1 = ModelDesign.Build(formula, Transform(data, "x", a, b));
            var m1 = LinearMixedModel.AtTheta(design1, m0.Theta, !c.Ml);
            var fit1 = LinearMixedModel.Fit(design1, options);
            // REML's log|X'X| gains 2 log|a| from the scaled column; ML's deviance does not depend on X's scale.
            double expected = m0.Objective + (c.Ml ? 0 : 2 * Math.Log(a));
            var bad = new List<string>();
            void Ok(bool v, string what) { if (!v) bad.Add(what); }
            Ok(Close(m1.Objective, expected, 1e-10), $"objective {m1.Objective:R} vs {expected:R}");
            Ok(Close(m1.Sigma, m0.Sigma, 1e-8), $"sigma {m1.Sigma:R} vs {m0.Sigma:R}");
            // the refit's θ agrees to the optimizer's stopping precision (its path sees rounding-level differences)
            Ok(Close(fit1.Objective, expected, 1e-10), $"refit objective {fit1.Objective:R} vs {expected:R}");
            for (int i = 0; i < m0.Theta.Count; i++) Ok(Math.Abs(fit1.Theta[i] - m0.Theta[i]) <= 2e-5 * (1 + Math.Abs(m0.Theta[i])), $"theta[{i}] {fit1.Theta[i]:R} vs {m0.Theta[i]:R}");
            int ix = m0.FixedEffects.ToList().FindIndex(e => e.Name == "x");
            Ok(Close(m1.FixedEffects[ix].Estimate, m0.FixedEffects[ix].Estimate / a, 1e-8), $"beta_x {m1.FixedEffects[ix].Estimate:R} vs {m0.FixedEffects[ix].Estimate / a:R}");
            Ok(Close(m1.FixedEffects[ix].StandardError, m0.FixedEffects[ix].StandardError / a, 1e-8), $"SE_x {m1.FixedEffects[ix].StandardError:R} vs {m0.FixedEffects[ix].StandardError / a:R}");
            for (int i = 1; i < m0.FixedEffects.Count; i++)
                if (i != ix) Ok(Close(m1.FixedEffects[i].StandardError, m0.FixedEffects[i].StandardError, 1e-8), $"SE[{i}] {m1.FixedEffects[i].StandardError:R} vs {m0.FixedEffects[i].StandardError:R}");
            if (bad.Count > 0) throw new Xunit.Sdk.XunitException($"{c}: " + string.Join("; ", bad));
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    /// <summary>
    /// A random-slope covariate rescaled by 2^k (k up to ±40, so its RMS runs from 10⁻¹¹ to 10¹³): the criterion (less
    /// the fixed column's 2 log a), σ and the intercept's SD are unchanged, the slope's SD and SE scale by 1/a.
    /// </summary>
    [Fact]
    public void RescalingARandomSlopeCovariateChangesOnlyItsUnits() =>
        Prop.ForAll(Arb.From(from seed in Gen.Choose(1, 10_000) from power in Gen.Choose(-40, 40) select (seed, power)), c =>
        {
            var data = Data(c.seed);
            double a = Math.Pow(2, c.power);
            const string formula = "y ~ x + (x | g)";
            var m0 = LinearMixedModel.Fit(formula, data);
            var m1 = LinearMixedModel.Fit(formula, Transform(data, "x", a, 0));
            var bad = new List<string>();
            void Ok(bool v, string what) { if (!v) bad.Add(what); }
            if (m0.Singular || m1.Singular) return true; // several boundary optima: see the shift property
            Ok(Close(m1.Objective, m0.Objective + 2 * Math.Log(a), 1e-9), $"objective {m1.Objective:R} vs {m0.Objective + 2 * Math.Log(a):R}");
            Ok(Close(m1.Sigma, m0.Sigma, 1e-5), $"sigma {m1.Sigma:R} vs {m0.Sigma:R}");
            var v0 = m0.VarianceComponents[0].StandardDeviations;
            var v1 = m1.VarianceComponents[0].StandardDeviations;
            Ok(Math.Abs(v1[0] - v0[0]) <= 1e-4 * (v0[0] + m0.Sigma), $"intercept SD {v1[0]:R} vs {v0[0]:R}");
            Ok(Math.Abs(v1[1] * a - v0[1]) <= 1e-4 * (v0[1] + m0.Sigma / 10), $"slope SD x a {v1[1] * a:R} vs {v0[1]:R}");
            Ok(Close(m1.FixedEffects[1].StandardError * a, m0.FixedEffects[1].StandardError, 1e-4), $"SE x a {m1.FixedEffects[1].StandardError * a:R} vs {m0.FixedEffects[1].StandardError:R}");
            Ok(m1.Singular == m0.Singular, $"singular {m1.Singular} vs {m0.Singular}");
            if (bad.Count > 0) throw new Xunit.Sdk.XunitException($"{c}: " + string.Join("; ", bad));
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void TheReportedReproducerFitsAsUnshifted()
    {
        var data = Datasets.Load("sleepstudy");
        var m0 = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", data);
        foreach (double b in new[] { 1e7, 1e8, 1e9 })
        {
            var m = LinearMixedModel.Fit($"I(Reaction + {b:R}) ~ Days + (Days | Subject)", data);
            Assert.Equal(m0.Objective, m.Objective, 1e-6 * m0.Objective);
            Assert.Equal(m0.Sigma, m.Sigma, 1e-6 * m0.Sigma);
            Assert.Equal(m0.FixedEffects[1].StandardError, m.FixedEffects[1].StandardError, 1e-6);
        }
    }

    [Fact]
    public void ACovariateFarFromZeroIsNotDroppedAsCollinearWithTheIntercept()
    {
        var data = Datasets.Load("sleepstudy");
        var m0 = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", data);
        var m = LinearMixedModel.Fit("Reaction ~ I(Days + 1e8) + (1 | Subject)", data);
        Assert.Equal(2, m.FixedEffects.Count);
        Assert.Equal(m0.Objective, m.Objective, 1e-8 * m0.Objective);
        // θ is found to the optimizer's precision, about 1e-6 here (the two fits run in different coordinates), and
        // this SE moves by 0.06 per unit of θ: 1e-7 is the agreement that precision allows.
        Assert.Equal(m0.FixedEffects[1].StandardError, m.FixedEffects[1].StandardError, 1e-7);
    }

    /// <summary>
    /// A random-slope covariate shifted by b (|b| / SD up to 10¹², x = 10⁸ + N(0, 1) included): the criterion, σ, the
    /// slope's SD, every fitted value and the slopes' conditional modes are unchanged (to the optimizer's precision:
    /// the two fits run in different coordinates, the shifted one centred, and stop at slightly different θ along flat
    /// directions), and the intercept's effects are those of the shifted coordinates (b₀ − b·b₁), as lme4 defines them.
    /// </summary>
    [Fact]
    public void ShiftingARandomSlopeCovariateChangesOnlyTheInterceptsCoordinates() =>
        Prop.ForAll(Arb.From(from seed in Gen.Choose(1, 10_000) from e in Gen.Elements(2, 3, 6, 9, 12) from sign in Gen.Elements(-1, 1) select (seed, b: sign * Math.Pow(10, e))), c =>
        {
            var data = Data(c.seed);
            double b = Math.Round(c.b * 3);
            const string formula = "y ~ x + (x | g)";
            var m0 = LinearMixedModel.Fit(formula, data);
            var m1 = LinearMixedModel.Fit(formula, Transform(data, "x", 1, b));
            var bad = new List<string>();
            void Ok(bool v, string what) { if (!v) bad.Add(what); }
            // On the boundary the criterion often has several optima (and the fit also tries lme4's own start, which is
            // not the same point in other units); invariance is asked of interior optima.
            if (m0.Singular || m1.Singular) return true;
            Ok(Close(m1.Objective, m0.Objective, 1e-9), $"objective {m1.Objective:R} vs {m0.Objective:R}");
            Ok(Close(m1.Sigma, m0.Sigma, 1e-5), $"sigma {m1.Sigma:R} vs {m0.Sigma:R}");
            var s0 = m0.VarianceComponents[0].StandardDeviations[1];
            var s1 = m1.VarianceComponents[0].StandardDeviations[1];
            Ok(Math.Abs(s1 - s0) <= 1e-4 * (s0 + m0.Sigma / 10), $"slope SD {s1:R} vs {s0:R}");
            Ok(Close(m1.FixedEffects[1].StandardError, m0.FixedEffects[1].StandardError, 1e-4), $"SE(x) {m1.FixedEffects[1].StandardError:R} vs {m0.FixedEffects[1].StandardError:R}");
            for (int i = 0; i < m0.Observations; i += 7)
                Ok(Math.Abs(m1.Fitted[i] - m0.Fitted[i]) <= 1e-3 * m0.Sigma, $"fitted[{i}] {m1.Fitted[i]:R} vs {m0.Fitted[i]:R}");
            var u0 = m0.ConditionalModes(0);
            var u1 = m1.ConditionalModes(0);
            for (int l = 0; l < u0.Length / 2; l++)
            {
                Ok(Math.Abs(u1[2 * l + 1] - u0[2 * l + 1]) <= 1e-3 * (s0 + m0.Sigma / 10), $"slope mode {l} {u1[2 * l + 1]:R} vs {u0[2 * l + 1]:R} (s0 {s0:R}, s1 {s1:R})");
                // the slope modes' optimizer-level differences, times b
                Ok(Math.Abs(u1[2 * l] - (u0[2 * l] - b * u0[2 * l + 1])) <= 1e-3 * (Math.Abs(b) * (s0 + m0.Sigma / 10) + m0.Sigma), $"intercept mode {l}");
            }
            if (bad.Count > 0) throw new Xunit.Sdk.XunitException($"{c}: " + string.Join("; ", bad));
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void TheRandomSlopeReproducerFitsAsUncentred()
    {
        var data = Datasets.Load("sleepstudy");
        var m0 = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", data);
        foreach (double b in new[] { 1e3, 1e8 })
        {
            var m = LinearMixedModel.Fit($"Reaction ~ Days + (I(Days + {b:R}) | Subject)", data);
            Assert.True(m.Design.RandomTerms[0].IsCentred);
            Assert.Equal(m0.Objective, m.Objective, 1e-8 * m0.Objective);
            Assert.Equal(m0.Sigma, m.Sigma, 1e-5 * m0.Sigma);
            Assert.Equal(m0.VarianceComponents[0].StandardDeviations[1], m.VarianceComponents[0].StandardDeviations[1], 1e-4);
            Assert.DoesNotContain(m.Warnings, w => w.Contains("converge"));
            var p0 = m0.Predict(data);
            var p = m.Predict(data);
            for (int i = 0; i < p0.Count; i += 11) Assert.Equal(p0[i].Fit, p[i].Fit, 1e-5 * m0.Sigma);
        }
        Assert.False(m0.Design.RandomTerms[0].IsCentred);
    }
}
