namespace M365.Sandbox.Control;

/// <summary>What a fault rule is matched against: one request's host, path, method, decoded query and batch membership.</summary>
internal readonly record struct FaultTarget(string Host, string Path, string Method, string Query, bool IsBatchItem);
