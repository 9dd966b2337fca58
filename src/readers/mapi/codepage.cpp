#include "readers/mapi/codepage.h"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <memory>
#include <vector>

namespace m2z::readers::mapi {

namespace {

using Converter = std::unique_ptr<UConverter, decltype(&ucnv_close)>;

// ICU names Windows code pages by several aliases; these are the ones it knows for the code
// pages Outlook writes, tried in order ("windows-1252", then "cp1252", then "ibm-1252").
Converter openConverter(int codepage) {
  std::vector<std::string> names;
  switch (codepage) {
    case 65001: names = {"UTF-8"}; break;
    case 1200: names = {"UTF-16LE"}; break;
    case 20127: names = {"US-ASCII"}; break;
    case 932: names = {"windows-31j", "cp932"}; break;
    case 936: names = {"windows-936", "GBK"}; break;
    case 949: names = {"windows-949"}; break;
    case 950: names = {"windows-950"}; break;
    case 20866: names = {"KOI8-R"}; break;
    case 21866: names = {"KOI8-U"}; break;
    case 50220:
    case 50221:
    case 50222: names = {"ISO-2022-JP"}; break;
    case 51932: names = {"EUC-JP"}; break;
    case 51949: names = {"EUC-KR"}; break;
    case 54936: names = {"GB18030"}; break;
    default:
      if (codepage >= 28591 && codepage <= 28605) {
        names = {"ISO-8859-" + std::to_string(codepage - 28590)};
      } else {
        names = {"windows-" + std::to_string(codepage), "cp" + std::to_string(codepage),
                 "ibm-" + std::to_string(codepage)};
      }
  }
  for (const auto& name : names) {
    UErrorCode status = U_ZERO_ERROR;
    Converter converter(ucnv_open(name.c_str(), &status), &ucnv_close);
    if (U_SUCCESS(status) && converter) return converter;
  }
  return Converter(nullptr, &ucnv_close);
}

// Stateful and multi-byte-escape charsets cannot describe PT_STRING8 bytes one value at a time.
bool isStateful(int codepage) { return codepage >= 50220 && codepage <= 50229; }

}  // namespace

bool isKnownCodepage(int codepage) { return codepage > 0 && openConverter(codepage) != nullptr; }

int string8Codepage(std::optional<std::int32_t> message_codepage, std::optional<std::int32_t> internet_codepage,
                    int fallback) {
  // PidTagMessageCodepage is the code page of the item's ANSI strings ([MS-OXCMSG] 2.2.1.57.1);
  // PidTagInternetCodepage is the MIME charset the body came in, a good guess only when the
  // first is missing.
  if (message_codepage && *message_codepage > 0 && isKnownCodepage(*message_codepage)) return *message_codepage;
  if (internet_codepage && *internet_codepage > 0 && !isStateful(*internet_codepage) &&
      *internet_codepage != 1200 && isKnownCodepage(*internet_codepage)) {
    return *internet_codepage;
  }
  return fallback;
}

Result<std::string> decodeCodepage(std::span<const std::uint8_t> bytes, int codepage) {
  if (bytes.empty()) return std::string();
  Converter converter = openConverter(codepage);
  if (!converter) {
    return Error{"mapi.codepage", "code page " + std::to_string(codepage) + " is not known to ICU",
                 std::to_string(codepage)};
  }
  // Any input byte gives at most two UTF-16 units (one code point) with ICU's converters.
  std::vector<UChar> units(bytes.size() * 2 + 1);
  UErrorCode status = U_ZERO_ERROR;
  const std::int32_t unit_count =
      ucnv_toUChars(converter.get(), units.data(), static_cast<std::int32_t>(units.size()),
                    reinterpret_cast<const char*>(bytes.data()), static_cast<std::int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) {
    return Error{"mapi.codepage", std::string("cannot decode code page ") + std::to_string(codepage) + ": " +
                                      u_errorName(status),
                 std::to_string(codepage)};
  }
  std::string text(static_cast<std::size_t>(unit_count) * 3 + 1, '\0');
  std::int32_t length = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8WithSub(text.data(), static_cast<std::int32_t>(text.size()), &length, units.data(), unit_count, 0xFFFD,
                     nullptr, &status);
  if (U_FAILURE(status)) {
    return Error{"mapi.codepage", std::string("cannot write UTF-8: ") + u_errorName(status), std::to_string(codepage)};
  }
  text.resize(static_cast<std::size_t>(length));
  return text;
}

std::optional<int> codepageOfRtfCharset(int charset) {
  // [MS-RTF] \fcharset values and the Windows code page each stands for.
  switch (charset) {
    case 0: return 1252;
    case 77: return 10000;
    case 128: return 932;
    case 129: return 949;
    case 130: return 1361;
    case 134: return 936;
    case 136: return 950;
    case 161: return 1253;
    case 162: return 1254;
    case 163: return 1258;
    case 177: return 1255;
    case 178: return 1256;
    case 186: return 1257;
    case 204: return 1251;
    case 222: return 874;
    case 238: return 1250;
    case 254: return 437;
    default: return std::nullopt;
  }
}

}  // namespace m2z::readers::mapi
