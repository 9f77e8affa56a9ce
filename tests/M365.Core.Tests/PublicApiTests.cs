using System.Reflection;
using M365.Core.Authentication;

namespace M365.Core.Tests;

/// <summary>
/// The public surface must not expose MSAL or Polly types, so the module can later load them in a private
/// AssemblyLoadContext next to other modules that ship other versions.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void NoPublicSignatureMentionsMsalOrPolly()
    {
        var offenders = new List<string>();
        foreach (Type type in typeof(ResourceTokenStore).Assembly.GetExportedTypes())
        {
            Check(type.BaseType, type.FullName!);
            foreach (Type implemented in type.GetInterfaces())
            {
                Check(implemented, type.FullName!);
            }

            foreach (MemberInfo member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                string where = type.FullName + "." + member.Name;
                switch (member)
                {
                    case MethodBase method:
                        Check((method as MethodInfo)?.ReturnType, where);
                        foreach (ParameterInfo parameter in method.GetParameters())
                        {
                            Check(parameter.ParameterType, where);
                        }

                        break;
                    case PropertyInfo property:
                        Check(property.PropertyType, where);
                        break;
                    case FieldInfo field:
                        Check(field.FieldType, where);
                        break;
                    case EventInfo @event:
                        Check(@event.EventHandlerType, where);
                        break;
                }
            }
        }

        Assert.Empty(offenders);

        void Check(Type? type, string where)
        {
            if (type is null)
            {
                return;
            }

            if (type.IsGenericType)
            {
                foreach (Type argument in type.GetGenericArguments())
                {
                    Check(argument, where);
                }
            }

            string name = type.Namespace ?? string.Empty;
            if (name.StartsWith("Microsoft.Identity", StringComparison.Ordinal) || name.StartsWith("Polly", StringComparison.Ordinal))
            {
                offenders.Add(where + " -> " + type.FullName);
            }
        }
    }
}
