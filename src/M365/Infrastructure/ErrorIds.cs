namespace M365.PowerShell.Infrastructure;

/// <summary>Stable error ids (<c>&lt;Noun&gt;&lt;Problem&gt;</c>) that scripts and tests can rely on.</summary>
public static class ErrorIds
{
    public const string ConnectionNotFound = "ConnectionNotFound";
    public const string ConnectionNameNotFound = "ConnectionNameNotFound";
    public const string ConnectionDeserialized = "ConnectionDeserialized";
    public const string DeviceCodeNonInteractive = "DeviceCodeNonInteractive";
    public const string BrowserSignInNonInteractive = "BrowserSignInNonInteractive";
    public const string SandboxDescriptorInvalid = "SandboxDescriptorInvalid";
    public const string EnvironmentNotFound = "EnvironmentNotFound";
    public const string CertificateNotFound = "CertificateNotFound";
    public const string CertificateInvalid = "CertificateInvalid";
    public const string OperationCancelled = "OperationCancelled";
    public const string RequestBodyInvalid = "RequestBodyInvalid";
}
