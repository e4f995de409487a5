using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace V2AStream.Hosting;

/// <summary>Loads the gRPC port's TLS certificate from the daemon's settings: PEM certificate and key, or PKCS#12.</summary>
internal static class ServerCertificate
{
    /// <summary>The certificate, or null when TLS is not configured; a file that cannot be loaded is a <see cref="DaemonConfigurationException"/>.</summary>
    public static X509Certificate2? Load(DaemonOptions options)
    {
        if (string.IsNullOrEmpty(options.TlsCertificate))
        {
            return null;
        }

        try
        {
            if (string.IsNullOrEmpty(options.TlsKey))
            {
                return X509CertificateLoader.LoadPkcs12FromFile(options.TlsCertificate, options.TlsPassword);
            }

            var certificate = string.IsNullOrEmpty(options.TlsPassword)
                ? X509Certificate2.CreateFromPemFile(options.TlsCertificate, options.TlsKey)
                : X509Certificate2.CreateFromEncryptedPemFile(options.TlsCertificate, options.TlsPassword, options.TlsKey);
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw new DaemonConfigurationException($"TlsKey '{options.TlsKey}' holds no private key for TlsCertificate '{options.TlsCertificate}'.");
            }

            return certificate;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new DaemonConfigurationException($"TlsCertificate '{options.TlsCertificate}' cannot be loaded: {ex.Message} (a PEM certificate needs TlsKey; a PKCS#12 file may need TlsPassword).");
        }
    }
}
