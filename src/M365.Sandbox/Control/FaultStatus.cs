namespace M365.Sandbox.Control;

/// <summary>A fault rule and how often it matched and fired.</summary>
public sealed record FaultStatus(string Id, FaultRule Rule, int Matched, int Fired);
