using System.Runtime.CompilerServices;
using MixedModels.Design;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

/// <summary>
/// The mutable workspace of a fit: the blocks of A = [Z X y]'[Z X y] (computed once) and of its Cholesky factor L,
/// and the current θ. <see cref="Objective"/> is the profiled deviance (ML) or REML criterion as a plain function of
/// θ; it allocates nothing. After an evaluation, <see cref="Beta()"/>, <see cref="SphericalModes()"/> and the other
/// methods give the solutions at that θ. Not thread-safe: use one workspace per thread.
/// </summary>
public sealed partial class LmmWorkspace
{
    private readonly ModelDesign _design;
    private readonly int _k, _p, _n, _observations;
    private readonly int[] _dims, _levels, _thetaOffset;
    private readonly Block[][] _a;
    private readonly Block[][] _l;
    private readonly int[]?[][] _scatter;
    private readonly double[] _theta;
    private readonly double[][] _t;
    private readonly double[] _scratch;
    private readonly double[] _kernelScratch;
    private readonly int[] _stackedRows;
    private double[] _weightedColumn;
    private readonly int[]?[][] _crossEntry;
    private double[]? _penalty;
    private readonly int[] _penaltyOffset;
    private double[]? _weights;
    /// <summary>True when <see cref="_weights"/> is the caller's array (the last refill's working weights), not the workspace's own.</summary>
    private bool _weightsBorrowed;
    private readonly double _sumLogPriorWeights;
    private bool _factored;
    private double _logDetZ, _logDetX, _pwrss;

    /// <summary>Builds A from the design and plans the structure of L.</summary>
    /// <param name="design">The model specification.</param>
    /// <param name="reml">True for the REML criterion, false for the ML deviance.</param>
    public LmmWorkspace(ModelDesign design, bool reml = true) : this(design, reml, centre: true)
    {
    }

    /// <summary>
    /// A workspace whose X is used as it is when <paramref name="centre"/> is false (no centred copy of X): the
    /// design's arrays may then be rewritten in place and A refilled from them by <see cref="Refill"/>.
    /// </summary>
    internal LmmWorkspace(ModelDesign design, bool reml, bool centre)
    {
        ArgumentNullException.ThrowIfNull(design);
        _design = design;
        Reml = reml;
        _k = design.RandomTerms.Count;
        _p = design.X.Columns;
        _n = design.RowCount;
        _observations = design.Observations;
        if (Reml && _observations <= _p) throw new ModelException($"REML needs more observations ({_observations}) than fixed-effect columns ({_p})");
        _dims = design.RandomTerms.Select(t => t.Dimension).ToArray();
        _levels = design.RandomTerms.Select(t => t.LevelCount).ToArray();
        _thetaOffset = new int[_k + 1];
        for (int i = 0; i < _k; i++) _thetaOffset[i + 1] = _thetaOffset[i] + design.RandomTerms[i].ThetaLength;
        _theta = design.InitialTheta();
        _t = _dims.Select(d => new double[d * d]).ToArray();
        int maxD = _dims.Length == 0 ? 1 : _dims.Max();
        _scratch = new double[Math.Max(maxD * maxD + 2 * maxD, (_p + 1) * maxD)];
        _weights = design.WeightsArray is { } pw ? (double[])pw.Clone() : null;
        _weightedColumn = _weights is null ? [] : new double[_n];
        foreach (double w in design.Weights) _sumLogPriorWeights += Math.Log(w);
        _sumLogPriorWeights += design.Aggregated?.LogWeightSum ?? 0; // weights folded into aggregated rows
        _crossEntry = Enumerable.Range(0, _k).Select(i => new int[]?[i]).ToArray();
        _penaltyOffset = new int[_k + 1];
        for (int j = 0; j < _k; j++) _penaltyOffset[j + 1] = _penaltyOffset[j] + _levels[j] * _dims[j];
        _centring = centre ? ColumnCentring.For(design) : ColumnCentring.None(design.X.Columns);
        _betaScratch = new double[_p];
        var (shift, shifted) = LeastSquaresShift(XData, _n, _p, WorkingResponse(), _weights, design.Aggregated?.Ones);
        _shift = shift;
        _shiftedResponse = shifted; // y − Xγ; reused by later responses (bootstrap, profiles)
        _a = AllocateA();
        FillA(_weights, shifted);
        var plan = FactorPlan.Create(_a, _levels, _dims, _p + 1);
        _l = plan.L;
        _scatter = plan.Scatter;
        _stackedRows = StackedRows(_l);
        _kernelScratch = new double[KernelScratchSize(_l, _stackedRows)];
    }

    /// <summary>The design this workspace fits.</summary>
    public ModelDesign Design => _design;

    /// <summary>True when <see cref="Objective"/> is the REML criterion.</summary>
    public bool Reml { get; }

    /// <summary>The number of objective evaluations so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>The number of covariance parameters.</summary>
    public int ThetaLength => _theta.Length;

    /// <summary>The θ of the last evaluation.</summary>
    public ReadOnlySpan<double> Theta => _theta;

    /// <summary>log|L_Z|² at the last evaluation.</summary>
    public double LogDetZ => _logDetZ;

    /// <summary>log|L_X|² at the last evaluation.</summary>
    public double LogDetX => _logDetX;

    /// <summary>The penalized residual sum of squares r²(θ) at the last evaluation.</summary>
    public double PenalizedRss => _pwrss;

    /// <summary>The number of blocks of L stored block-sparse (diagnostics: how much structure the factor keeps).</summary>
    public int SparseBlockCount() => _l.Sum(row => row.Count(b => b is SparseBlock));

    /// <summary>The number of stored doubles in L (a measure of the factor's memory).</summary>
    public long FactorSize => _l.Sum(row => row.Sum(b => b.StoredValues));

    /// <summary>
    /// The objective at θ: the REML criterion or the ML deviance (−2 log-likelihood with β and σ profiled out).
    /// Sets the workspace to θ. Allocates nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Objective(ReadOnlySpan<double> theta)
    {
        SetTheta(theta);
        return CurrentObjective(Reml);
    }

    /// <summary>
    /// The objective of the current factorization, by REML or ML. With prior weights wᵢ (Var(εᵢ) = σ²/wᵢ) it
    /// includes −Σ log wᵢ, as lme4's.
    /// </summary>
    public double CurrentObjective(bool reml)
    {
        if (!_factored) throw new InvalidOperationException("the workspace has not been evaluated at any θ yet");
        int n = _observations, p = _p;
        if (!(_pwrss > 0)) return double.PositiveInfinity;
        if (reml)
        {
            double nmp = n - p;
            return _logDetZ + _logDetX + nmp * (1 + Math.Log(2 * Math.PI * _pwrss / nmp)) - _sumLogPriorWeights;
        }
        return _logDetZ + n * (1 + Math.Log(2 * Math.PI * _pwrss / n)) - _sumLogPriorWeights;
    }

    /// <summary>Sets θ and updates the factor L (scaling A by Λ(θ), adding I, blocked Cholesky).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetTheta(ReadOnlySpan<double> theta)
    {
        if (theta.Length != _theta.Length)
            throw new ArgumentException($"θ has {theta.Length} elements; this model has {_theta.Length}", nameof(theta));
        theta.CopyTo(_theta);
        Evaluations++;
        for (int j = 0; j < _k; j++) FillT(j);
        UpdateL();
        _factored = true;
    }

    /// <summary>Sets θ and the relative factors T without refactoring (the next <see cref="SetTheta"/> or reweighting factors).</summary>
    internal void SetRelativeFactors(ReadOnlySpan<double> theta)
    {
        if (theta.Length != _theta.Length)
            throw new ArgumentException($"θ has {theta.Length} elements; this model has {_theta.Length}", nameof(theta));
        theta.CopyTo(_theta);
        for (int j = 0; j < _k; j++) FillT(j);
        _factored = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillT(int term)
    {
        int d = _dims[term];
        var t = _t[term];
        Array.Clear(t);
        int idx = _thetaOffset[term];
        for (int col = 0; col < d; col++)
            for (int row = col; row < d; row++) t[col * d + row] = _theta[idx++];
    }

    /// <summary>
    /// Replaces the penalty's identity: L L' = Λ'Z'WZΛ + diag(p) with one weight per spherical random effect (term
    /// by term, as u is laid out); null restores I. The seam for robust estimation, which downweights outlying
    /// random effects (robustlmm's w_b). The next <see cref="SetTheta"/> uses it; the objective's formula is the
    /// caller's to adjust (the REML and ML criteria assume I).
    /// </summary>
    public void SetPenaltyWeights(ReadOnlySpan<double> weights)
    {
        if (weights.IsEmpty) { _penalty = null; _factored = false; return; }
        if (weights.Length != _penaltyOffset[_k])
            throw new ArgumentException($"the penalty needs {_penaltyOffset[_k]} weights (one per random effect), not {weights.Length}", nameof(weights));
        foreach (double w in weights)
            if (!(w > 0) || !double.IsFinite(w)) throw new ArgumentOutOfRangeException(nameof(weights), "penalty weights must be positive and finite");
        _penalty ??= new double[weights.Length];
        weights.CopyTo(_penalty);
        _factored = false;
    }

    /// <summary>True when a penalty other than the identity is set (<see cref="SetPenaltyWeights"/>).</summary>
    internal bool HasPenalty => _penalty is not null;

    /// <summary>The relative covariance factor T of a term at the current θ (d × d lower triangular, column-major).</summary>
    public ReadOnlySpan<double> RelativeFactor(int term) => _t[term];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateL()
    {
        int k = _k;
        for (int j = 0; j < k; j++)
        {
            ScaleDiagonal((BlockDiagonalBlock)_a[j][j], _l[j][j], _t[j], j);
            for (int i = j + 1; i < k; i++) ScaleOffDiagonal((SparseBlock)_a[i][j], _l[i][j], _scatter[i][j], _t[i], _t[j]);
            ScaleXyRow((DenseBlock)_a[k][j], (DenseBlock)_l[k][j], _t[j], _dims[j]);
        }
        ((DenseBlock)_a[k][k]).Data.CopyTo(((DenseBlock)_l[k][k]).Data, 0);

        for (int j = 0; j <= k; j++)
        {
            var ljj = _l[j][j];
            for (int m = 0; m < j; m++) BlockKernels.RankUpdate(ljj, _l[j][m], _kernelScratch);
            if (!BlockKernels.Cholesky(ljj, _kernelScratch))
            {
                if (j < k)
                {
                    // Λ'Z'WZΛ + I is positive definite in exact arithmetic; numerically it fails only for θ on a scale
                    // far from Z's. The objective is then +∞, so an optimizer steps back (and a start there is refused).
                    _logDetZ = _logDetX = double.NaN;
                    _pwrss = double.NaN;
                    return;
                }
                HandleXyFailure();
                return;
            }
            for (int i = j + 1; i <= k; i++)
                for (int m = 0; m < j; m++) BlockKernels.MultiplySubtract(_l[i][j], _l[i][m], _l[j][m]);
            if (_stackedRows[j] > 0) SolveStacked(j);
            else
                for (int i = j + 1; i <= k; i++) BlockKernels.RightDivideTranspose(_l[i][j], ljj, _kernelScratch);
        }
        _logDetZ = 0;
        for (int j = 0; j < k; j++) _logDetZ += LogDetDiagonal(_l[j][j]);
        var lxy = (DenseBlock)_l[k][k];
        _logDetX = 0;
        for (int i = 0; i < _p; i++) _logDetX += 2 * Math.Log(lxy.Data[i * (_p + 1) + i]);
        double lyy = lxy.Data[_p * (_p + 1) + _p];
        _pwrss = lyy * lyy;
    }

    /// <summary>
    /// The most rows below a dense diagonal block solved together against it. Each row is solved on its own, so
    /// stacking changes no rounding; it saves passes over L_jj: insteval's 14 department rows and 3 [X y] rows against
    /// the dense 1128 × 1128 block took 1.5 + 0.9 ms apart, 1.6 ms stacked, and the row solve stays ahead of the
    /// column-by-column one up to 32 rows at least (1.9 against 4.0 ms).
    /// </summary>
    private const int StackedLimit = 64;

    /// <summary>
    /// For each block column j whose diagonal block is dense and whose blocks below are all dense with at most
    /// <see cref="StackedLimit"/> rows in total: that total (the blocks are then solved against L_jj together, in one
    /// pass over it); else 0.
    /// </summary>
    private static int[] StackedRows(Block[][] l)
    {
        int k = l.Length - 1;
        var rows = new int[k + 1];
        for (int j = 0; j < k; j++)
        {
            if (l[j][j] is not DenseBlock d || d.Rows <= 2 * DenseKernels.FewRows) continue;
            int total = 0;
            bool ok = true;
            for (int i = j + 1; i <= k; i++)
            {
                if (l[i][j] is DenseBlock b) total += b.Rows; else ok = false;
            }
            if (ok && total <= StackedLimit && j + 1 < k) rows[j] = total;
        }
        return rows;
    }

    /// <summary>L_ij ← L_ij L_jj^{-T} for all blocks below a dense L_jj at once: their rows transposed into one block.</summary>
    private void SolveStacked(int j)
    {
        var ljj = (DenseBlock)_l[j][j];
        int n = ljj.Rows, m = _stackedRows[j];
        var rows = _kernelScratch.AsSpan(0, m * n);
        int r0 = 0;
        for (int i = j + 1; i <= _k; i++)
        {
            var b = (DenseBlock)_l[i][j];
            for (int r = 0; r < b.Rows; r++)
                for (int c = 0; c < n; c++) rows[(r0 + r) * n + c] = b.Data[c * b.Rows + r];
            r0 += b.Rows;
        }
        DenseKernels.SolveRows(rows, m, n, ljj.Data, n, _kernelScratch.AsSpan(m * n));
        r0 = 0;
        for (int i = j + 1; i <= _k; i++)
        {
            var b = (DenseBlock)_l[i][j];
            for (int r = 0; r < b.Rows; r++)
                for (int c = 0; c < n; c++) b.Data[c * b.Rows + r] = rows[(r0 + r) * n + c];
            r0 += b.Rows;
        }
    }

    /// <summary>The scratch the dense kernels need for the blocks of L (packing for the Cholesky, transposes for solves).</summary>
    private static int KernelScratchSize(Block[][] l, int[] stacked)
    {
        int size = 0;
        for (int j = 0; j < stacked.Length; j++)
            if (stacked[j] > 0)
            {
                int n = l[j][j].Rows;
                size = Math.Max(size, stacked[j] * n + DenseKernels.SolveRowsScratchSize(stacked[j], n));
            }
        for (int i = 0; i < l.Length; i++)
            for (int j = 0; j < i; j++) size = Math.Max(size, BlockKernels.RankUpdateScratchSize(l[i][i], l[i][j]));
        for (int i = 0; i < l.Length; i++)
            for (int j = 0; j <= i; j++)
            {
                if (l[i][j] is not DenseBlock d) continue;
                if (i == j) size = Math.Max(size, DenseKernels.CholeskyScratchSize(d.Rows));
                else if (l[j][j] is DenseBlock) size = Math.Max(size, DenseKernels.TrsmScratchSize(d.Rows, d.Cols));
            }
        return size;
    }

    private void HandleXyFailure()
    {
        // The response lies (numerically) in the column space of X and Z: no residual variation is left.
        _logDetZ = 0;
        for (int j = 0; j < _k; j++) _logDetZ += LogDetDiagonal(_l[j][j]);
        _logDetX = 0;
        _pwrss = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double LogDetDiagonal(Block b)
    {
        double s = 0;
        switch (b)
        {
            case BlockDiagonalBlock bd:
                int d = bd.Size;
                for (int l = 0; l < bd.Count; l++)
                {
                    var sub = bd.Sub(l);
                    for (int i = 0; i < d; i++) s += Math.Log(sub[i * d + i]);
                }
                break;
            case DenseBlock db:
                for (int i = 0; i < db.Rows; i++) s += Math.Log(db.Data[i * db.Rows + i]);
                break;
        }
        return 2 * s;
    }
}
