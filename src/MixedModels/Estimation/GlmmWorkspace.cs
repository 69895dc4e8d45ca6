using System.Runtime.CompilerServices;
using MixedModels.Design;
using MixedModels.Families;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

/// <summary>
/// The mutable workspace of a generalized linear mixed model fit (lme4's <c>glmer</c>): the response, family and
/// prior weights, the linear predictor and means, and a <see cref="LmmWorkspace"/> whose A = [Z X z]'W[Z X z] is
/// refilled in place with the working weights W and working response z at each step of penalized iteratively
/// reweighted least squares (PIRLS). Its objectives are plain functions of their parameters and allocate nothing:
/// <see cref="Laplace"/> of (θ, β) (nAGQ ≥ 1) and <see cref="LaplaceJoint"/> of θ with β found by PIRLS too
/// (nAGQ = 0). Without random-effects terms it is a generalized linear model, and PIRLS is R's IRLS.
/// Not thread-safe.
/// </summary>
public sealed partial class GlmmWorkspace
{
    private const int MaxPirlsIterations = 100;
    private const int MaxHalvings = 20;

    private readonly LmmWorkspace _lmm, _lmmU;
    private LmmWorkspace _active;
    private readonly double _aicConstant, _aicOffset;
    private readonly int _n, _p, _q, _k;
    private readonly double[] _y, _priorWeights, _trials, _offset;
    private readonly double[] _eta, _mu, _muEta, _workingWeights, _workingResponse, _devResid;
    private readonly double[] _u, _uOld, _beta, _betaOld, _fixedPart, _uResponse;
    private readonly double[][] _effects;
    private readonly EtaJob _etaJob;
    private bool _betaHeld;
    private readonly GaussHermite? _quadrature;
    private bool _started;

    /// <summary>Creates the workspace for a design and family; nAGQ ≥ 2 (adaptive Gauss–Hermite) needs a single scalar random-effects term.</summary>
    public GlmmWorkspace(ModelDesign design, Family family, int nAgq = 1)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(family);
        if (nAgq < 0 || nAgq > 25) throw new ArgumentOutOfRangeException(nameof(nAgq), nAgq, "nAGQ must be between 0 and 25");
        if (family.Name == "gaussian")
            throw new ModelException($"the gaussian family with the {family.Link.Name} link is not supported as a generalized model yet (its criterion has no reference here); with the identity link it is a linear mixed model: leave --family out");
        if (nAgq > 1 && (design.RandomTerms.Count != 1 || design.RandomTerms[0].Dimension != 1))
            throw new ModelException("nAGQ > 1 is only available for models with a single, scalar random-effects term");
        Design = design;
        Family = family;
        Nagq = nAgq;
        _lmm = new LmmWorkspace(design, reml: false);
        // With β held, PIRLS needs only the random-effects part of A and the working response less Xβ.
        _lmmU = new LmmWorkspace(design.WithoutFixedEffects(), reml: false);
        _active = _lmm;
        _n = design.Observations;
        _p = design.X.Columns;
        _k = design.RandomTerms.Count;
        _q = _lmm.RandomEffectCount;
        _y = design.ResponseArray;
        _priorWeights = design.WeightsArray ?? Enumerable.Repeat(1.0, _n).ToArray();
        _trials = design.TrialsArray ?? Enumerable.Repeat(1.0, _n).ToArray();
        _offset = design.OffsetArray ?? new double[_n];
        _eta = new double[_n];
        _mu = new double[_n];
        _muEta = new double[_n];
        _workingWeights = new double[_n];
        _workingResponse = new double[_n];
        _devResid = new double[_n];
        _u = new double[_q];
        _uOld = new double[_q];
        _beta = new double[_p];
        _betaOld = new double[_p];
        _fixedPart = new double[_n];
        _uResponse = new double[_n];
        _effects = design.RandomTerms.Select(t => new double[t.RandomEffectCount]).ToArray();
        _etaJob = new EtaJob(this);
        _aicConstant = family.AicConstant(_y, _trials, _priorWeights);
        if (nAgq > 1) _quadrature = new GaussHermite(nAgq, design.RandomTerms[0].LevelCount);
        for (int i = 0; i < _n; i++)
        {
            _mu[i] = family.StartingMean(_y[i], _priorWeights[i]);
            _eta[i] = family.Link.LinkFun(_mu[i]);
        }
        UpdateWorking();
        // Without a dispersion, −2 log-likelihood and the deviance differ by a constant (binomial, Poisson):
        // Σ dᵢ plus that constant replaces a second pass with logarithms at every evaluation.
        if (!family.HasDispersion)
            _aicOffset = _aicConstant + family.AicVariable(_y, _trials, _mu, _priorWeights, Deviance) - Deviance;
    }

    /// <summary>The model specification.</summary>
    public ModelDesign Design { get; }

    /// <summary>The response family and link.</summary>
    public Family Family { get; }

    /// <summary>The number of adaptive Gauss–Hermite quadrature points (1: the Laplace approximation; 0: β by PIRLS as well).</summary>
    public int Nagq { get; }

    /// <summary>The number of covariance parameters θ.</summary>
    public int ThetaLength => _lmm.ThetaLength;

    /// <summary>The number of fixed effects.</summary>
    public int FixedEffectCount => _p;

    /// <summary>The number of objective evaluations so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>The number of PIRLS iterations (reweighting and refactoring A) over all evaluations so far.</summary>
    public long PirlsIterations { get; private set; }

    /// <summary>
    /// The linear-mixed workspace of the last evaluation, whose L_Z is at the working weights of the conditional
    /// modes (the u-only system for <see cref="Laplace"/>, the joint one for <see cref="LaplaceJoint"/>).
    /// </summary>
    internal LmmWorkspace Inner => _active;

    /// <summary>The joint workspace (with X) refactored at the current working weights and θ: R_X for the RX-based covariance of β.</summary>
    internal LmmWorkspace FullAtCurrentState()
    {
        _lmm.Reweight(_workingWeights, _workingResponse);
        _lmm.SetTheta(_active.Theta);
        return _lmm;
    }

    /// <summary>The fixed effects at the last evaluation.</summary>
    public ReadOnlySpan<double> Beta => _beta;

    /// <summary>The spherical random effects u at the last evaluation.</summary>
    public ReadOnlySpan<double> SphericalModes => _u;

    /// <summary>The linear predictor η at the last evaluation (offset included).</summary>
    public ReadOnlySpan<double> LinearPredictor => _eta;

    /// <summary>The means μ at the last evaluation.</summary>
    public ReadOnlySpan<double> Mean => _mu;

    /// <summary>The working weights at the last evaluation.</summary>
    public ReadOnlySpan<double> WorkingWeights => _workingWeights;

    /// <summary>The prior weights (1 when none were given; the trials for a binomial cbind response).</summary>
    public ReadOnlySpan<double> PriorWeights => _priorWeights;

    /// <summary>The numbers of binomial trials (1 when there are none).</summary>
    public ReadOnlySpan<double> Trials => _trials;

    /// <summary>The sum of the deviance residuals at the last evaluation.</summary>
    public double Deviance { get; private set; }

    /// <summary>‖u‖² at the last evaluation.</summary>
    public double PenaltySquared { get; private set; }

    /// <summary>log |L_Z|² at the last evaluation (the working weights at the conditional modes).</summary>
    public double LogDetZ => _active.LogDetZ;

    /// <summary>
    /// The Laplace approximation (or, with nAGQ ≥ 2, adaptive Gauss–Hermite quadrature) to −2 log-likelihood at
    /// x = (θ, β), lme4's glmer criterion: the conditional modes u are found by PIRLS with β held. Allocates nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Laplace(ReadOnlySpan<double> thetaBeta)
    {
        int t = _lmm.ThetaLength;
        if (thetaBeta.Length != t + _p)
            throw new ArgumentException($"the parameter vector has {thetaBeta.Length} elements; (θ, β) has {t + _p}", nameof(thetaBeta));
        Evaluations++;
        thetaBeta.Slice(t).CopyTo(_beta);
        var x = Design.X.Data;
        Array.Clear(_fixedPart);
        for (int c = 0; c < _p; c++) DenseKernels.Axpy(_beta[c], x.AsSpan(c * _n, _n), _fixedPart);
        if (!Pirls(thetaBeta[..t], varyBeta: false)) return double.PositiveInfinity;
        return _quadrature is null ? LaplaceValue() : AdaptiveQuadrature(thetaBeta[..t]);
    }

    /// <summary>
    /// nAGQ = 0's criterion at θ: the Laplace approximation at the joint PIRLS solution for u and β (fast, and the
    /// start of the nAGQ ≥ 1 fit). Allocates nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double LaplaceJoint(ReadOnlySpan<double> theta)
    {
        if (theta.Length != _lmm.ThetaLength)
            throw new ArgumentException($"θ has {theta.Length} elements; this model has {_lmm.ThetaLength}", nameof(theta));
        Evaluations++;
        if (!Pirls(theta, varyBeta: true)) return double.PositiveInfinity;
        return LaplaceValue();
    }

    private double LaplaceValue() =>
        (Family.HasDispersion ? _aicConstant + Family.AicVariable(_y, _trials, _mu, _priorWeights, Deviance) : Deviance + _aicOffset)
        + PenaltySquared + _active.LogDetZ;

    /// <summary>
    /// Penalized iteratively reweighted least squares at θ: u (and β when <paramref name="varyBeta"/>) minimizing
    /// the penalized deviance, with step halving; ends with A and L at the working weights of the solution.
    /// Returns false when no finite penalized deviance is found.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Pirls(ReadOnlySpan<double> theta, bool varyBeta)
    {
        var ws = _active = varyBeta ? _lmm : _lmmU;
        _betaHeld = !varyBeta;
        // The very first joint solve starts from the family's starting means (the constructor's working values).
        bool first = !_started && varyBeta;
        _started = true;
        // η of the starting u must use this θ's Λ.
        ws.SetRelativeFactors(theta);
        double pdev0 = double.PositiveInfinity;
        if (!first)
        {
            pdev0 = UpdateEta();
            if (!double.IsFinite(pdev0))
            {
                Array.Clear(_u);
                pdev0 = UpdateEta();
                if (!double.IsFinite(pdev0)) return false;
            }
        }
        bool atMode = false;
        for (int iter = 0; iter < MaxPirlsIterations; iter++)
        {
            PirlsIterations++;
            Reweight(ws, varyBeta);
            ws.SetTheta(theta);
            _u.CopyTo(_uOld, 0);
            _beta.CopyTo(_betaOld, 0);
            if (varyBeta) ws.Beta(_beta);
            ws.SphericalModes(varyBeta ? _beta : [], _u);
            double pdev = UpdateEta();
            if (!first)
            {
                double slack = 1e-12 * (Math.Abs(pdev0) + 1);
                for (int h = 0; !(pdev <= pdev0 + slack) && h < MaxHalvings; h++)
                {
                    for (int i = 0; i < _q; i++) _u[i] = 0.5 * (_u[i] + _uOld[i]);
                    if (varyBeta) for (int i = 0; i < _p; i++) _beta[i] = 0.5 * (_beta[i] + _betaOld[i]);
                    pdev = UpdateEta();
                }
                if (!(pdev <= pdev0 + slack))
                {
                    // No decrease even after halving: the previous point is the solution to working precision.
                    _uOld.CopyTo(_u, 0);
                    if (varyBeta) _betaOld.CopyTo(_beta, 0);
                    UpdateEta();
                    break;
                }
            }
            if (!double.IsFinite(pdev)) return false;
            first = false;
            pdev0 = pdev;
            // A step this small leaves the weights, and so L, where the last factorization had them.
            if (StepSize(varyBeta) <= 1e-11) { atMode = true; break; }
        }
        if (!atMode)
        {
            Reweight(ws, varyBeta);
            ws.SetTheta(theta);
        }
        return true;
    }

    /// <summary>Refills A of the active system: [Z X z] for the joint solve, [Z (z − Xβ)] with β held (z − Xβ formed by the last <see cref="UpdateEta"/>).</summary>
    private void Reweight(LmmWorkspace ws, bool varyBeta) =>
        ws.Reweight(_workingWeights, varyBeta ? _workingResponse : _uResponse);

    /// <summary>The largest change of the last PIRLS step, relative to the size of the solution.</summary>
    private double StepSize(bool varyBeta)
    {
        double step = 0, size = 1;
        for (int i = 0; i < _q; i++)
        {
            step = Math.Max(step, Math.Abs(_u[i] - _uOld[i]));
            size = Math.Max(size, Math.Abs(_u[i]));
        }
        if (varyBeta)
            for (int i = 0; i < _p; i++)
            {
                step = Math.Max(step, Math.Abs(_beta[i] - _betaOld[i]));
                size = Math.Max(size, Math.Abs(_beta[i]));
            }
        return step / size;
    }

}
