using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace M365.Core.Http
{
    /// <summary>Reads the object at the reader (on its <see cref="JsonTokenType.StartObject"/>) and leaves the reader on its <see cref="JsonTokenType.EndObject"/>.</summary>
    internal delegate T JsonItemReader<T>(ref Utf8JsonReader reader);

    /// <summary>One item of a page: an object read, or the kind of JSON value found where an object was expected.</summary>
    internal readonly struct ODataItem<T>
    {
        public ODataItem(T value)
        {
            Value = value;
            NotAnObject = null;
        }

        public ODataItem(JsonTokenType notAnObject)
        {
            Value = default!;
            NotAnObject = notAnObject;
        }

        /// <summary>The item read; default when <see cref="NotAnObject"/> is set.</summary>
        public T Value { get; }

        /// <summary>The first token of an item that is not an object (a string, a number, …), or null.</summary>
        public JsonTokenType? NotAnObject { get; }
    }

    /// <summary>
    /// An OData collection page read once, with <see cref="Utf8JsonReader"/>, into its items (objects made by a
    /// <see cref="JsonItemReader{T}"/>) and the fields paging needs: the next link and <c>@odata.count</c>. Nothing of the
    /// page's bytes is kept, so its buffer can go back to the pool at once, and no <see cref="JsonDocument"/> is built.
    /// </summary>
    internal sealed class ODataItemPage<T>
    {
        private ODataItemPage(List<ODataItem<T>>? items, string? nextLink, long? count)
        {
            Items = items;
            NextLink = nextLink;
            Count = count;
        }

        /// <summary>The <c>value</c> array's items in order, or null when the page has no <c>value</c> array.</summary>
        public List<ODataItem<T>>? Items { get; }

        /// <summary>The raw <c>@odata.nextLink</c> (else SharePoint's <c>odata.nextLink</c>) when it is a non-empty string.</summary>
        public string? NextLink { get; }

        /// <summary>The page's <c>@odata.count</c>, when it is an integer.</summary>
        public long? Count { get; }

        /// <summary>Reads a page; the rules for fields are <see cref="JsonDocument"/>'s (a repeated name: the last one counts).</summary>
        /// <exception cref="JsonException">The body is not one well-formed JSON value.</exception>
        [MethodImpl(HotPath.Optimized)]
        public static ODataItemPage<T> Parse(ReadOnlySpan<byte> body, JsonItemReader<T> readItem)
        {
            var reader = new Utf8JsonReader(body, isFinalBlock: true, state: default);
            reader.Read();
            List<ODataItem<T>>? items = null;
            string? atNextLink = null, nextLink = null;
            bool hasAtNextLink = false;
            long? count = null;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("value"u8))
                    {
                        reader.Read();
                        items = reader.TokenType == JsonTokenType.StartArray ? ReadItems(ref reader, readItem) : SkipValue(ref reader);
                    }
                    else if (reader.ValueTextEquals("@odata.nextLink"u8))
                    {
                        reader.Read();
                        hasAtNextLink = true;
                        atNextLink = NonEmptyString(ref reader);
                    }
                    else if (reader.ValueTextEquals("odata.nextLink"u8))
                    {
                        reader.Read();
                        nextLink = NonEmptyString(ref reader);
                    }
                    else if (reader.ValueTextEquals("@odata.count"u8))
                    {
                        reader.Read();
                        count = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long total) ? total : (long?)null;
                        reader.Skip();
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }

            // Anything after the one value is malformed, as JsonDocument.Parse says: Read throws on it.
            if (reader.Read())
            {
                throw new JsonException("The body holds more than one JSON value.");
            }

            // As ODataPager reads a JsonDocument: @odata.nextLink when the page has that field, else odata.nextLink.
            return new ODataItemPage<T>(items, hasAtNextLink ? atNextLink : nextLink, count);
        }

        [MethodImpl(HotPath.Optimized)]
        private static List<ODataItem<T>> ReadItems(ref Utf8JsonReader reader, JsonItemReader<T> readItem)
        {
            var items = new List<ODataItem<T>>(1000);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    items.Add(new ODataItem<T>(readItem(ref reader)));
                }
                else
                {
                    items.Add(new ODataItem<T>(reader.TokenType));
                    reader.Skip();
                }
            }

            return items;
        }

        private static List<ODataItem<T>>? SkipValue(ref Utf8JsonReader reader)
        {
            reader.Skip();
            return null;
        }

        private static string? NonEmptyString(ref Utf8JsonReader reader)
        {
            string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            reader.Skip();
            return string.IsNullOrEmpty(text) ? null : text;
        }
    }
}
