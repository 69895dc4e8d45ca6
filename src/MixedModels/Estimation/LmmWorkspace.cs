using MixedModels.Design;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

/// <summary>
/// The mutable workspace of a fit: the blocks of A = [Z X y]'[Z X y] (computed once) and of its Cholesky factor L,
/// and the current θ. <see cref="Objective"/> is the profiled deviance (ML) or REML criterion as a plain function of
/// θ; it allocates nothing. After an evaluation, <see cref="Beta()"/>, <see cref="SphericalModes"/> and the other
/// methods give the solutions at that θ. Not thread-safe: use one workspace per thread.
/// </summary>
public sealed partial class LmmWorkspace
{
    private readonly ModelDesign _design;
    private readonly int _k, _p, _n;
    private readonly int[] _dims, _levels, _thetaOffset;
    private readonly Block[][] _a;
    private readonly Block[][] _l;
    private readonly int[]?[][] _scatter;
    private readonly double[] _theta;
    private readonly double[][] _t;
    private readonly double[] _scratch;
    private bool _factored;
    private double _logDetZ, _logDetX, _pwrss;

    /// <summary>Builds A from the design and plans the structure of L.</summary>
    /// <param name="design">The model specification.</param>
    /// <param name="reml">True for the REML criterion, false for the ML deviance.</param>
    public LmmWorkspace(ModelDesign design, bool reml = true)
    {
        ArgumentNullException.ThrowIfNull(design);
        _design = design;
        Reml = reml;
        _k = design.RandomTerms.Count;
        _p = design.X.Columns;
        _n = design.Observations;
        if (Reml && _n <= _p) throw new ModelException($"REML needs more observations ({_n}) than fixed-effect columns ({_p})");
        _dims = design.RandomTerms.Select(t => t.Dimension).ToArray();
        _levels = design.RandomTerms.Select(t => t.LevelCount).ToArray();
        _thetaOffset = new int[_k + 1];
        for (int i = 0; i < _k; i++) _thetaOffset[i + 1] = _thetaOffset[i] + design.RandomTerms[i].ThetaLength;
        _theta = design.InitialTheta();
        _t = _dims.Select(d => new double[d * d]).ToArray();
        int maxD = _dims.Length == 0 ? 1 : _dims.Max();
        _scratch = new double[Math.Max(maxD * maxD, (_p + 1) * maxD)];
        _a = AssembleA();
        var plan = FactorPlan.Create(_a, _levels, _dims, _p + 1);
        _l = plan.L;
        _scatter = plan.Scatter;
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
    public double Objective(ReadOnlySpan<double> theta)
    {
        SetTheta(theta);
        return CurrentObjective(Reml);
    }

    /// <summary>The objective of the current factorization, by REML or ML.</summary>
    public double CurrentObjective(bool reml)
    {
        if (!_factored) throw new InvalidOperationException("the workspace has not been evaluated at any θ yet");
        int n = _n, p = _p;
        if (!(_pwrss > 0)) return double.PositiveInfinity;
        if (reml)
        {
            double nmp = n - p;
            return _logDetZ + _logDetX + nmp * (1 + Math.Log(2 * Math.PI * _pwrss / nmp));
        }
        return _logDetZ + n * (1 + Math.Log(2 * Math.PI * _pwrss / n));
    }

    /// <summary>Sets θ and updates the factor L (scaling A by Λ(θ), adding I, blocked Cholesky).</summary>
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

    private void FillT(int term)
    {
        int d = _dims[term];
        var t = _t[term];
        Array.Clear(t);
        int idx = _thetaOffset[term];
        for (int col = 0; col < d; col++)
            for (int row = col; row < d; row++) t[col * d + row] = _theta[idx++];
    }

    /// <summary>The relative covariance factor T of a term at the current θ (d × d lower triangular, column-major).</summary>
    public ReadOnlySpan<double> RelativeFactor(int term) => _t[term];

    private void UpdateL()
    {
        int k = _k;
        for (int j = 0; j < k; j++)
        {
            ScaleDiagonal((BlockDiagonalBlock)_a[j][j], _l[j][j], _t[j]);
            for (int i = j + 1; i < k; i++) ScaleOffDiagonal((SparseBlock)_a[i][j], _l[i][j], _scatter[i][j], _t[i], _t[j]);
            ScaleXyRow((DenseBlock)_a[k][j], (DenseBlock)_l[k][j], _t[j], _dims[j]);
        }
        ((DenseBlock)_a[k][k]).Data.CopyTo(((DenseBlock)_l[k][k]).Data, 0);

        for (int j = 0; j <= k; j++)
        {
            var ljj = _l[j][j];
            for (int m = 0; m < j; m++) BlockKernels.RankUpdate(ljj, _l[j][m]);
            if (!BlockKernels.Cholesky(ljj))
            {
                if (j < k) throw new InvalidOperationException("the random-effects block of the factor is not positive definite");
                HandleXyFailure();
                return;
            }
            for (int i = j + 1; i <= k; i++)
            {
                var lij = _l[i][j];
                for (int m = 0; m < j; m++) BlockKernels.MultiplySubtract(lij, _l[i][m], _l[j][m]);
                BlockKernels.RightDivideTranspose(lij, ljj);
            }
        }
        _logDetZ = 0;
        for (int j = 0; j < k; j++) _logDetZ += LogDetDiagonal(_l[j][j]);
        var lxy = (DenseBlock)_l[k][k];
        _logDetX = 0;
        for (int i = 0; i < _p; i++) _logDetX += 2 * Math.Log(lxy.Data[i * (_p + 1) + i]);
        double lyy = lxy.Data[_p * (_p + 1) + _p];
        _pwrss = lyy * lyy;
    }

    private void HandleXyFailure()
    {
        // The response lies (numerically) in the column space of X and Z: no residual variation is left.
        _logDetZ = 0;
        for (int j = 0; j < _k; j++) _logDetZ += LogDetDiagonal(_l[j][j]);
        _logDetX = 0;
        _pwrss = 0;
    }

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
