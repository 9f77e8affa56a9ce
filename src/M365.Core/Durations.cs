using System;
using System.Globalization;

namespace M365.Core
{
    /// <summary>Says a length of time the way a person reads it back in a message: "5 seconds", "15 minutes", "90 seconds".</summary>
    public static class Durations
    {
        /// <summary>Whole minutes from 2 minutes up are said in minutes; everything else in seconds.</summary>
        /// <param name="length">The length of time.</param>
        public static string Describe(TimeSpan length)
        {
            double seconds = length.TotalSeconds;
            if (seconds >= 120 && seconds % 60 == 0)
            {
                return ((long)length.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " minutes";
            }

            string number = seconds.ToString("0.###", CultureInfo.InvariantCulture);
            return number == "1" ? "1 second" : number + " seconds";
        }
    }
}
