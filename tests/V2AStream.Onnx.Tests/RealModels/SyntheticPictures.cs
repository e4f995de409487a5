namespace V2AStream.Onnx.Tests.RealModels;

/// <summary>RGB pictures drawn in code (width x height x 3 bytes, row-major), so the real-model tests need no image files.</summary>
internal static class SyntheticPictures
{
    /// <summary>A black-and-white grid of squares with a few filled cells, like a printed crossword.</summary>
    public static byte[] Crossword(int size, int cells)
    {
        var pixels = new byte[size * size * 3];
        var cell = size / (double)cells;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var cx = (int)(x / cell);
                var cy = (int)(y / cell);
                var onLine = x % (int)cell < 2 || y % (int)cell < 2;
                var filled = ((cx * 7) + (cy * 13)) % 5 == 0;
                var value = onLine || filled ? (byte)0 : (byte)255;
                Set(pixels, size, x, y, value, value, value);
            }
        }

        return pixels;
    }

    /// <summary>Soft orange and blue blobs on a green gradient: nothing like a grid.</summary>
    public static byte[] Blobs(int size)
    {
        var pixels = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var u = x / (double)size;
                var v = y / (double)size;
                var orange = Math.Exp(-(((u - 0.3) * (u - 0.3)) + ((v - 0.4) * (v - 0.4))) * 20);
                var blue = Math.Exp(-(((u - 0.7) * (u - 0.7)) + ((v - 0.7) * (v - 0.7))) * 30);
                var r = (60 * (1 - v)) + (230 * orange);
                var g = (120 + (80 * v)) + (120 * orange);
                var b = (40 + (200 * blue));
                Set(pixels, size, x, y, Clamp(r), Clamp(g), Clamp(b));
            }
        }

        return pixels;
    }

    /// <summary>The <paramref name="cropSize"/> square at (left, top) of a square picture.</summary>
    public static byte[] Crop(byte[] pixels, int size, int left, int top, int cropSize)
    {
        var crop = new byte[cropSize * cropSize * 3];
        for (var y = 0; y < cropSize; y++)
        {
            Array.Copy(pixels, (((top + y) * size) + left) * 3, crop, y * cropSize * 3, cropSize * 3);
        }

        return crop;
    }

    /// <summary>NCHW float32 with ImageNet normalization, as MobileNetV2 expects: (rgb/255 - mean) / std.</summary>
    public static float[] ToImageNetTensor(byte[] pixels, int size)
    {
        float[] mean = [0.485f, 0.456f, 0.406f];
        float[] std = [0.229f, 0.224f, 0.225f];
        var plane = size * size;
        var tensor = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                tensor[(c * plane) + i] = ((pixels[(i * 3) + c] / 255f) - mean[c]) / std[c];
            }
        }

        return tensor;
    }

    private static void Set(byte[] pixels, int size, int x, int y, byte r, byte g, byte b)
    {
        var i = ((y * size) + x) * 3;
        pixels[i] = r;
        pixels[i + 1] = g;
        pixels[i + 2] = b;
    }

    private static byte Clamp(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
