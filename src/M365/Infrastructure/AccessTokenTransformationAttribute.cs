using System;
using System.Management.Automation;
using System.Security;

namespace M365.PowerShell.Infrastructure;

/// <summary>Lets -AccessToken take a plain string as well as a SecureString (as Connect-MgGraph v2 does).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class AccessTokenTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is not string text)
        {
            return inputData;
        }

        var secure = new SecureString();
        foreach (var c in text.Trim())
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
