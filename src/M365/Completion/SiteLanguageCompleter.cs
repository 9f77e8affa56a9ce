using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace M365.PowerShell.Infrastructure;

/// <summary>Completes Add-M365SpoSite -Lcid with the languages SharePoint Online creates sites in, by LCID.</summary>
public sealed class SiteLanguageCompleter : IArgumentCompleter
{
    internal static readonly IReadOnlyList<KeyValuePair<string, string>> Languages = new (int Lcid, string Name)[]
    {
        (1025, "Arabic"), (1026, "Bulgarian"), (1027, "Catalan"), (1028, "Chinese (Traditional)"), (1029, "Czech"),
        (1030, "Danish"), (1031, "German"), (1032, "Greek"), (1033, "English"), (1035, "Finnish"), (1036, "French"),
        (1037, "Hebrew"), (1038, "Hungarian"), (1040, "Italian"), (1041, "Japanese"), (1042, "Korean"), (1043, "Dutch"),
        (1044, "Norwegian (Bokmål)"), (1045, "Polish"), (1046, "Portuguese (Brazil)"), (1048, "Romanian"), (1049, "Russian"),
        (1050, "Croatian"), (1051, "Slovak"), (1053, "Swedish"), (1054, "Thai"), (1055, "Turkish"), (1057, "Indonesian"),
        (1058, "Ukrainian"), (1060, "Slovenian"), (1061, "Estonian"), (1062, "Latvian"), (1063, "Lithuanian"),
        (1066, "Vietnamese"), (1068, "Azerbaijani"), (1069, "Basque"), (1071, "Macedonian"), (1081, "Hindi"), (1086, "Malay"),
        (1087, "Kazakh"), (1106, "Welsh"), (1110, "Galician"), (1164, "Dari"), (2052, "Chinese (Simplified)"),
        (2070, "Portuguese (Portugal)"), (2074, "Serbian (Latin)"), (2108, "Irish"), (3082, "Spanish"),
        (5146, "Bosnian (Latin)"), (9242, "Serbian (Latin, Serbia)"), (10266, "Serbian (Cyrillic, Serbia)"),
    }.Select(l => new KeyValuePair<string, string>(l.Lcid.ToString(CultureInfo.InvariantCulture), l.Name)).ToArray();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Languages, wordToComplete);
}
