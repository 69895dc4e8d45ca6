namespace MixedModels.Estimation;

/// <summary>
/// Optimizes the objective of a workspace and leaves the workspace at the optimum; the result type builds itself
/// from the workspace and the <see cref="LmmFit"/> (so Estimation does not depend on Results).
/// </summary>
internal static class LmmFitter
{
    /// <summary>θ diagonal elements below this are tried at exactly 0 after the optimizer stops.</summary>
    private const double ZeroCandidate = 1e-4;

    /// <summary>The final trust-region radius of the check from lme4's start, and the initial one of its polish.</summary>
    private const double ScoutRadius = 1e-2, CoarseRadius = 1e-4, PolishRadius = 1e-3;

    /// <summary>
    /// How far (in deviance units, times 1 + k/5 for k covariance parameters) above the first optimum a scouting run
    /// from lme4's start may end and still be followed. What is left to gain below a trust radius of 1e-2 grows with
    /// the number of parameters: 1.4e-4 on IGF (k = 3), 0.098 on kb07like (k = 20, margin 0.25), while distinct
    /// boundary optima differ by more (IGF's two: 0.43).
    /// </summary>
    private const double ScoutMargin = 0.05;

    /// <summary>
    /// The initial trust-region radius from moment estimates of at most <see cref="FewParameters"/> covariance
    /// parameters, where the estimates lie close to the optimum: over the 43 reference fits 1,226 -> 1,092 evaluations
    /// (0.03: 1,079, 0.1: 1,166), every fit ending no worse. With more parameters the moments are rougher and
    /// <see cref="NearStartRadius"/> is kept (kb07like's 20: 636 evaluations at 0.25, 923 at 0.05; a 12-parameter
    /// model ended at a worse optimum from 0.05).
    /// </summary>
    private const double MomentRadius = 0.05;

    /// <summary>The largest number of covariance parameters started with <see cref="MomentRadius"/>.</summary>
    private const int FewParameters = 6;

    /// <summary>
    /// The quasi-Newton method's convergence tolerance: the decrease one more step would bring, relative to the
    /// objective. 1e-10 ends kb07like's 20-parameter fit at BOBYQA's optimum to its 10th significant digit.
    /// </summary>
    private const double GradientTolerance = 1e-10;

    /// <summary>
    /// Whether the fit uses the analytic gradient with <see cref="QuasiNewton"/> instead of BOBYQA: when asked, or by
    /// default with more than <see cref="FewParameters"/> covariance parameters, where BOBYQA spends most of its
    /// evaluations learning the curvature (kb07like's 20: 636 evaluations from the moment start, the gradient method
    /// 35 evaluations and gradients; 7 to 13 parameters of kb07like and hsb models: 27 to 113 against 276 to 801),
    /// from a start of the fitter's own (refits from a given θ keep BOBYQA's path). Not with a penalty other than the
    /// identity (robust estimation's), whose criterion is not the one differentiated.
    /// </summary>
    private static bool UsesGradient(LmmWorkspace ws, FitOptions options) => !ws.HasPenalty && options.Method switch
    {
        OptimizerMethod.QuasiNewton => true,
        OptimizerMethod.Bobyqa => false,
        _ => ws.ThetaLength > FewParameters && options.InitialTheta is null,
    };

    /// <summary>The model at a given θ, without optimizing (status <see cref="OptimizationStatus.Converged"/>, 1 evaluation).</summary>
    public static LmmFit AtTheta(LmmWorkspace ws, double[] theta)
    {
        double fx = ws.Objective(theta);
        var opt = new OptimizationResult(theta, fx, 1, OptimizationStatus.Converged);
        bool singular = ConvergenceCheck.IsSingular(theta, ws.Design.LowerBounds());
        var warnings = singular ? new List<string> { "boundary (singular) fit: see help('isSingular')" } : [];
        return new LmmFit(opt, singular, warnings);
    }

    public static LmmFit Fit(LmmWorkspace ws, FitOptions options)
    {
        options.Optimizer?.Validate();
        var design = ws.Design;
        int k = design.ThetaLength;
        var map = ParameterMap.Theta(design);
        int before = ws.Evaluations;
        bool withGradient = UsesGradient(ws, options);
        var (start, optimizer, fromMoments, startValue) = Start(ws, options, map);
        int startEvaluations = ws.Evaluations - before;
        if (start.Length != k) throw new ArgumentException($"the initial θ has {start.Length} elements; the model has {k}");
        ObjectiveFunction f = ws.Objective;
        var cancel = options.Cancellation;
        if (options.Progress is not null || cancel.CanBeCanceled)
        {
            var progress = options.Progress;
            f = x =>
            {
                cancel.ThrowIfCancellationRequested();
                double v = ws.Objective(x);
                progress?.Report(ws.Evaluations - before);
                return v;
            };
        }
        if (k == 0) return new LmmFit(new OptimizationResult([], ws.Objective([]), 1, OptimizationStatus.Converged), false, []);
        bool newtonFinish = !withGradient && options.Optimizer is null && options.CheckConvergence;
        var (opt, secondStart) = withGradient
            ? MinimizeWithGradient(ws, f, start, map, optimizer, fromMoments)
            : MinimizeWithBobyqa(ws, f, start, startValue, map, optimizer, fromMoments, options, ref newtonFinish);
        opt = opt with { Evaluations = opt.Evaluations + startEvaluations };
        return Finish(ws, f, opt, map, options, optimizer, withGradient, newtonFinish) with { SecondStartEvaluations = secondStart };
    }

    /// <summary>The quasi-Newton fit, from the start and, for a boundary optimum from the moment start, from lme4's too.</summary>
    private static (OptimizationResult Result, int SecondStart) MinimizeWithGradient(LmmWorkspace ws, ObjectiveFunction f, double[] start,
        ParameterMap map, BobyqaOptions optimizer, bool fromMoments)
    {
        int gradients = 0, secondStart = 0;
        GradientAtLast gradient = g => { gradients++; ws.Gradient(g); };
        var opt = QuasiNewton.Minimize(f, gradient, start, map, GradientTolerance, optimizer.MaxEvaluations);
        if (opt.Status == OptimizationStatus.InvalidObjective)
            throw new ModelException("the objective cannot be evaluated at the starting values of θ");
        if (fromMoments && ConvergenceCheck.IsSingular(map.ToOptimizerUnits(opt.X), map.Lower))
        {
            // As for BOBYQA: a boundary optimum from the moment start is checked against lme4's own start.
            var other = QuasiNewton.Minimize(f, gradient, ws.Design.InitialTheta(), map, GradientTolerance, optimizer.MaxEvaluations);
            secondStart = other.Evaluations;
            if (other.Status != OptimizationStatus.InvalidObjective && other.Value < opt.Value) opt = other;
            opt = opt with { Evaluations = opt.Evaluations + secondStart };
        }
        return (opt with { Method = OptimizerMethod.QuasiNewton, Gradients = gradients }, secondStart);
    }

    /// <summary>
    /// The BOBYQA fit (to <see cref="NewtonFinish.Radius"/> when a Newton step is to finish it), and for a boundary
    /// optimum from the moment start the check against lme4's start.
    /// </summary>
    private static (OptimizationResult Result, int SecondStart) MinimizeWithBobyqa(LmmWorkspace ws, ObjectiveFunction f, double[] start,
        double? startValue, ParameterMap map, BobyqaOptions optimizer, bool fromMoments, FitOptions options, ref bool newtonFinish)
    {
        // BOBYQA's first point is the start, whose value the choice of start has already taken.
        var known = new KnownValue(f, start, startValue);
        var opt = new BobyqaOptimizer(newtonFinish ? optimizer with { FinalRadius = NewtonFinish.Radius } : optimizer).Minimize(known.Objective, start, map);
        opt = opt with { Evaluations = opt.Evaluations - known.Used };
        if (opt.Status == OptimizationStatus.InvalidObjective)
            throw new ModelException("the objective cannot be evaluated at the starting values of θ");
        if (!ConvergenceCheck.IsSingular(map.ToOptimizerUnits(opt.X), map.Lower)) return (opt, 0);
        if (newtonFinish)
        {
            // A boundary optimum gets no Newton step (the check stops at singular fits): BOBYQA goes on to its radius.
            opt = NewtonFinish.Continue(f, opt, optimizer, map);
            newtonFinish = false;
        }
        if (!fromMoments || !ConvergenceCheck.IsSingular(map.ToOptimizerUnits(opt.X), map.Lower)) return (opt, 0);
        // A boundary optimum from the moment start may be a worse boundary point than lme4's unit start reaches
        // (nlme's IGF, conc ~ age + (age | Lot)): optimize from that start too. A scouting run to a trust radius of
        // 1e-2 comes first; only when it ends near or below the first optimum is it taken on to a coarse tolerance
        // and, where it ends lower, polished to full precision; the better is kept.
        int k = start.Length;
        var settings = options.Optimizer ?? new BobyqaOptions();
        var scout = settings with { FinalRadius = Math.Max(settings.FinalRadius, Math.Min(ScoutRadius, settings.InitialRadius)) };
        var other = new BobyqaOptimizer(scout).Minimize(f, ws.Design.InitialTheta(), map); // lme4's own start, in θ's units
        int extra = other.Evaluations;
        if (other.Status != OptimizationStatus.InvalidObjective && other.Value < opt.Value + ScoutMargin * (1 + k / 5.0))
        {
            var coarse = settings with
            {
                InitialRadius = Math.Min(settings.InitialRadius, ScoutRadius),
                FinalRadius = Math.Max(settings.FinalRadius, Math.Min(CoarseRadius, settings.InitialRadius)),
            };
            var further = new BobyqaOptimizer(coarse).Minimize(f, other.X, map);
            extra += further.Evaluations;
            if (further.Status != OptimizationStatus.InvalidObjective && further.Value <= other.Value) other = further;
        }
        if (other.Status != OptimizationStatus.InvalidObjective && other.Value < opt.Value)
        {
            var polished = new BobyqaOptimizer(settings with { InitialRadius = Math.Max(settings.FinalRadius, PolishRadius) }).Minimize(f, other.X, map);
            extra += polished.Evaluations;
            if (polished.Status != OptimizationStatus.InvalidObjective && polished.Value <= other.Value) other = polished;
            if (other.Value < opt.Value) opt = other;
        }
        return (opt with { Evaluations = opt.Evaluations + extra }, extra);
    }

    /// <summary>
    /// After the optimizer: small diagonals of θ tried at exactly 0, lme4's singularity and convergence checks (with a
    /// Newton step from the check's derivatives where it finishes a BOBYQA fit), and the workspace left at θ̂.
    /// </summary>
    private static LmmFit Finish(LmmWorkspace ws, ObjectiveFunction f, OptimizationResult opt, ParameterMap map, FitOptions options,
        BobyqaOptions optimizer, bool withGradient, bool newtonFinish)
    {
        int k = opt.X.Length;
        var lower = map.Lower.ToArray();
        var theta = opt.X;
        double best = opt.Value;
        var scale = map.Scale.ToArray();
        for (int i = 0; i < k; i++)
        {
            if (lower[i] != 0 || theta[i] == 0 || theta[i] >= ZeroCandidate * scale[i]) continue;
            var trial = (double[])theta.Clone();
            trial[i] = 0;
            double v = f(trial);
            if (v <= best) { theta = trial; best = v; }
        }
        // The objective at θ̂ is known (the optimizer's or a zero trial's value: evaluations are deterministic).
        double fx = best;
        // The singularity and convergence checks work in the optimizer's units (θ / scale): lme4's tolerances then
        // mean the same for a random slope on any scale (they are θ's own for every ordinary design).
        var fu = map.InOptimizerUnits(f);
        var u = map.ToOptimizerUnits(theta);
        bool singular = ConvergenceCheck.IsSingular(u, lower);
        var warnings = new List<string>();
        if (opt.Status != OptimizationStatus.Converged)
            warnings.Add($"optimizer ({(withGradient ? "quasi-Newton with the analytic gradient" : "bobyqa")}): {opt.Message}");
        if (newtonFinish && !singular)
        {
            // lme4's check at BOBYQA's point (trust radius 1e-4), then one Newton step with its gradient and Hessian.
            var (g, h) = ConvergenceCheck.Derivatives(fu, u, lower, fx);
            if (NewtonFinish.Try(fu, g, h, u, lower, fx) is { } done)
            {
                warnings.AddRange(ConvergenceCheck.Assess(g, h, singular: false));
                if (done.Moved)
                {
                    theta = map.FromOptimizerUnits(done.U);
                    fx = done.Value; // the step's evaluation left the workspace there
                }
                else fx = ws.Objective(theta); // BOBYQA's point kept: leaves the workspace at θ̂
                return new LmmFit(opt with { X = theta, Value = fx }, singular, warnings);
            }
            // The step refused: BOBYQA goes on to its own final radius, and the check is taken there.
            opt = NewtonFinish.Continue(f, opt with { X = theta, Value = fx }, optimizer, map);
            theta = opt.X;
            fx = opt.Value;
            u = map.ToOptimizerUnits(theta);
            singular = ConvergenceCheck.IsSingular(u, lower);
        }
        // After a gradient fit the check takes the Hessian from analytic gradients too, in the optimizer's units.
        GradientAtLast? gu = withGradient ? map.InOptimizerUnits(ws.Gradient) : null;
        warnings.AddRange(ConvergenceCheck.Check(fu, u, lower, fx, singular, options.CheckConvergence, gu));
        fx = ws.Objective(theta); // leaves the workspace at θ̂ for the result
        return new LmmFit(opt with { X = theta, Value = fx }, singular, warnings);
    }

    /// <summary>The initial trust-region radius from a start near the optimum (moment estimates, or a fitted θ for a refit).</summary>
    internal static double NearStartRadius => BobyqaOptimizer.NearStart.Options.InitialRadius;

    /// <summary>
    /// The starting θ and optimizer settings: a given θ, or lme4's unit start, or moment estimates — which are kept
    /// only where their objective is not worse than the unit start's (one evaluation each), so a poor moment
    /// estimate never makes a fit start from further away than lme4 would; with the start's objective where it was taken.
    /// </summary>
    private static (double[] Start, BobyqaOptions Optimizer, bool FromMoments, double? Value) Start(LmmWorkspace ws, FitOptions options, ParameterMap map)
    {
        var design = ws.Design;
        var unit = map.UnitStart();
        if (options.InitialTheta is { } given) return ([.. given], options.Optimizer ?? new BobyqaOptions(), false, null);
        // Moment estimates need the observations' residuals: an aggregated design starts where lme4 does.
        if (options.Start == StartMethod.Unit || design.ThetaLength == 0 || design.IsAggregated) return (unit, options.Optimizer ?? new BobyqaOptions(), false, null);
        var moments = StartingValues.Moments(ws);
        double fm = ws.Objective(moments), fu = ws.Objective(unit);
        if (!(fm <= fu)) return (unit, options.Optimizer ?? new BobyqaOptions(), false, fu);
        double radius = design.ThetaLength <= FewParameters ? MomentRadius : NearStartRadius;
        return (moments, options.Optimizer ?? new BobyqaOptions { InitialRadius = radius }, true, fm);
    }

}

/// <summary>The outcome of an lmer optimization: the optimizer's result (X = θ̂), singularity and lme4's messages.</summary>
internal sealed record LmmFit(OptimizationResult Optimization, bool Singular, List<string> Warnings)
{
    /// <summary>The evaluations spent optimizing again from lme4's start after a boundary optimum (0: none).</summary>
    public int SecondStartEvaluations { get; init; }
}
