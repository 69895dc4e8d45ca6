using System.Numerics;
using System.Runtime.CompilerServices;

namespace MixedModels.Robust;

/// <summary>
/// The ψ-functions of the quadrature loops as vector kernels: the smoothed Huber (whole-number s), Huber's and
/// Proposal 2 on either are evaluated a vector of points at a time without branches; any other function point by point.
/// </summary>
internal static class PsiKernels
{
    /// <summary>ψ and the weight, a vector of points at a time (the weight of |x|: the argument may have either sign).</summary>
    internal interface IKernel
    {
        Vector<double> Psi(Vector<double> x);
        Vector<double> Weight(Vector<double> d);

        /// <summary>Up to this |x| the function is linear (ψ(x) = x, weight 1); 0 when that is not known.</summary>
        double LinearBound { get; }

        /// <summary>ψ(d) and the weight w(d) of a non-negative distance d together.</summary>
        Vector<double> PsiOfDistance(Vector<double> d, out Vector<double> weight);
    }

    internal readonly struct SmoothHuberKernel(SmoothHuberPsi f) : IKernel
    {
        private readonly Vector<double> _k = new(f.K), _c = new(f.C), _d = new(f.D);
        private readonly int _s = f.IntegerS;

        public double LinearBound { get; } = f.C;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector<double> Tail(Vector<double> ax)
        {
            var y = Vector<double>.One / (ax - _d);
            Vector<double> result = Vector<double>.One, b = y;
            for (int e = _s; ; )
            {
                if ((e & 1) != 0) result *= b;
                e >>= 1;
                if (e == 0) break;
                b *= b;
            }
            return _k - result;
        }

        public Vector<double> Psi(Vector<double> x)
        {
            var ax = Vector.Abs(x);
            var tail = Tail(Vector.Max(ax, _c));
            var signed = Vector.ConditionalSelect(Vector.LessThan(x, Vector<double>.Zero), -tail, tail);
            return Vector.ConditionalSelect(Vector.LessThanOrEqual(ax, _c), x, signed);
        }

        public Vector<double> Weight(Vector<double> x)
        {
            var d = Vector.Abs(x);
            var safe = Vector.Max(d, _c);
            return Vector.ConditionalSelect(Vector.LessThanOrEqual(d, _c), Vector<double>.One, Tail(safe) / safe);
        }

        public Vector<double> PsiOfDistance(Vector<double> d, out Vector<double> weight)
        {
            var safe = Vector.Max(d, _c);
            var tail = Tail(safe);
            var inside = Vector.LessThanOrEqual(d, _c);
            weight = Vector.ConditionalSelect(inside, Vector<double>.One, tail / safe);
            return Vector.ConditionalSelect(inside, d, tail);
        }
    }

    internal readonly struct HuberKernel(double k) : IKernel
    {
        private readonly Vector<double> _k = new(k);

        public double LinearBound { get; } = k;

        public Vector<double> Psi(Vector<double> x) => Vector.Min(Vector.Max(x, -_k), _k);

        public Vector<double> Weight(Vector<double> x)
        {
            var d = Vector.Abs(x);
            var safe = Vector.Max(d, _k);
            return Vector.ConditionalSelect(Vector.LessThanOrEqual(d, _k), Vector<double>.One, _k / safe);
        }

        public Vector<double> PsiOfDistance(Vector<double> d, out Vector<double> weight)
        {
            weight = Weight(d);
            return Psi(d);
        }
    }

    internal readonly struct GenericKernel(PsiFunction f) : IKernel
    {
        public double LinearBound => 0;

        public Vector<double> Psi(Vector<double> x)
        {
            Span<double> v = stackalloc double[Vector<double>.Count];
            for (int i = 0; i < v.Length; i++) v[i] = f.Psi(x[i]);
            return new Vector<double>(v);
        }

        public Vector<double> Weight(Vector<double> d)
        {
            Span<double> v = stackalloc double[Vector<double>.Count];
            for (int i = 0; i < v.Length; i++) v[i] = f.Weight(d[i]);
            return new Vector<double>(v);
        }

        public Vector<double> PsiOfDistance(Vector<double> d, out Vector<double> weight)
        {
            weight = Weight(d);
            return Psi(d);
        }
    }

    /// <summary>Proposal 2 on a kernel: ψ(x)·w(x) and w(x)².</summary>
    internal readonly struct ProposalIIKernel<TInner>(TInner inner) : IKernel where TInner : struct, IKernel
    {
        public double LinearBound => inner.LinearBound;

        public Vector<double> Psi(Vector<double> x) => inner.Weight(x) * inner.Psi(x);

        public Vector<double> Weight(Vector<double> x)
        {
            var w = inner.Weight(x);
            return w * w;
        }

        public Vector<double> PsiOfDistance(Vector<double> d, out Vector<double> weight)
        {
            var psi = inner.PsiOfDistance(d, out var w);
            weight = w * w;
            return w * psi;
        }
    }

}
