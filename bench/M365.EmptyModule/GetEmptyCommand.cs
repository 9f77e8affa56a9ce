using System.Management.Automation;

namespace M365.EmptyModule;

/// <summary>Does nothing: it only makes this a binary module.</summary>
[Cmdlet(VerbsCommon.Get, "M365Empty")]
[OutputType(typeof(string))]
public sealed class GetEmptyCommand : PSCmdlet
{
    protected override void ProcessRecord() => WriteObject("empty");
}
