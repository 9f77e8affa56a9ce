namespace M365.Core.Resources
{
    /// <summary>
    /// Lower-cases ASCII letters only. Host names and tenant names are compared this way: ToLowerInvariant also maps
    /// look-alikes (the Kelvin sign, a dotted capital I) onto ASCII letters, so a URL would name another host than its own.
    /// </summary>
    internal static class AsciiCase
    {
        public static string ToLower(string text)
        {
            char[] chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] >= 'A' && chars[i] <= 'Z')
                {
                    chars[i] = (char)(chars[i] + ('a' - 'A'));
                }
            }

            return new string(chars);
        }
    }
}
