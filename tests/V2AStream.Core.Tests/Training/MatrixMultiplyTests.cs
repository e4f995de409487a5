using V2AStream.Core.Training;

namespace V2AStream.Core.Tests.Training;

public sealed class MatrixMultiplyTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 13, 37)]
    [InlineData(64, 512, 1024)]
    [InlineData(5, 64, 16)]
    public void Multiply_EveryShape_IsTheFusedMultiplyAddChainOverK(int m, int k, int n)
    {
        var a = Values(m * k, 1);
        var b = Values(k * n, 2);
        var c = new float[m * n];

        MatrixMultiply.Multiply(a, b, c, m, k, n, maxThreads: 2);

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var expected = 0f;
                for (var p = 0; p < k; p++)
                {
                    expected = MathF.FusedMultiplyAdd(a[(i * k) + p], b[(p * n) + j], expected);
                }

                Assert.True(expected == c[(i * n) + j], $"C[{i},{j}] = {c[(i * n) + j]:R}, expected {expected:R}");
            }
        }
    }

    [Fact]
    public void Multiply_ThreadCount_DoesNotChangeABit()
    {
        const int M = 1024, K = 64, N = 512;
        var a = Values(M * K, 3);
        var b = Values(K * N, 4);
        var one = new float[M * N];
        var many = new float[M * N];

        MatrixMultiply.Multiply(a, b, one, M, K, N, maxThreads: 1);
        MatrixMultiply.Multiply(a, b, many, M, K, N, maxThreads: 4);

        Assert.Equal(one, many);
    }

    [Fact]
    public void Transpose_SwapsRowsAndColumns()
    {
        float[] source = [1, 2, 3, 4, 5, 6];
        var destination = new float[6];

        MatrixMultiply.Transpose(source, 2, 3, destination);

        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, destination);
    }

    [Fact]
    public void Multiply_TooShortBuffer_Throws()
    {
        Assert.Throws<ArgumentException>(() => MatrixMultiply.Multiply(new float[5], new float[6], new float[4], 2, 3, 2, 1));
    }

    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }
}
