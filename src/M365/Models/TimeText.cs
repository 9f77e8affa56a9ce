using System;
using System.Globalization;

namespace M365.PowerShell.Models;

/// <summary>
/// The one way M365 shows a time to a person: local time as "yyyy-MM-dd HH:mm:ss", with a countdown where it helps
/// ("in 59 min"). The format views call it.
/// </summary>
public static class TimeText
{
    public const string Pattern = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Local time in the one format.</summary>
    public static string Format(DateTimeOffset? time) =>
        time is { } value ? value.ToLocalTime().ToString(Pattern, CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>"in 59 min", "in 2 h 5 min", "in 30 s", "expired 3 min ago".</summary>
    public static string Countdown(DateTimeOffset? time) => time is { } value ? Countdown(value - DateTimeOffset.UtcNow) : string.Empty;

    /// <summary>Local time with its countdown: "2026-11-27 18:59:00 (in 59 min)".</summary>
    public static string WithCountdown(DateTimeOffset? time) =>
        time is null ? string.Empty : $"{Format(time)} ({Countdown(time)})";

    internal static string Countdown(TimeSpan left)
    {
        var past = left < TimeSpan.Zero;
        var span = past ? left.Negate() : left;
        string text = span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds} s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalDays} days";
        return past ? $"expired {text} ago" : $"in {text}";
    }
}
