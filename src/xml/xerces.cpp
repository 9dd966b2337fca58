// The only file that includes Xerces-C: initialisation, parsing into our Element tree, and schema
// validation with a cached grammar. No Xerces exception leaves this file.
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include <xercesc/framework/LocalFileInputSource.hpp>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/framework/XMLPScanToken.hpp>
#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax/SAXException.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/Attributes.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/XMLEntityResolver.hpp>
#include <xercesc/util/XMLException.hpp>
#include <xercesc/util/XMLResourceIdentifier.hpp>
#include <xercesc/util/XMLUni.hpp>
#include <xercesc/validators/common/Grammar.hpp>

#include "xml/unicode.h"
#include "xml/xml.h"

namespace m2z::xml {

namespace xc = XERCES_CPP_NAMESPACE;
namespace fs = std::filesystem;

namespace {

// Entity expansion is impossible without a DTD, which we refuse; the limit is a second fence.
constexpr XMLSize_t kEntityExpansionLimit = 100;
// A validator reports at most this many problems for one document; the rest are counted.
constexpr std::size_t kMaxReportedProblems = 50;

std::once_flag g_init_once;
bool g_init_ok = false;
std::string g_init_error;

bool initialized() {
  ensureInitialized();
  return g_init_ok;
}

Error initError() {
  return Error{"xml.init", "Xerces-C could not be initialised: " + g_init_error, ""};
}

std::string str(const XMLCh* text) { return detail::fromUtf16(text); }
std::string str(const XMLCh* text, XMLSize_t length) { return detail::fromUtf16(text, length); }

std::string location(std::uint64_t line, std::uint64_t column) {
  return std::to_string(line) + ":" + std::to_string(column);
}

std::string describe(const xc::SAXParseException& e) {
  return location(e.getLineNumber(), e.getColumnNumber()) + ": " + str(e.getMessage());
}

// Collects errors; never throws, so a bad document cannot unwind through the parser.
class ErrorCollector : public xc::DefaultHandler {
 public:
  void warning(const xc::SAXParseException&) override {}
  void error(const xc::SAXParseException& e) override { record(describe(e)); }
  void fatalError(const xc::SAXParseException& e) override { record(describe(e)); }
  void resetErrors() override {}

  void record(std::string problem) {
    ++count_;
    if (problems_.size() < kMaxReportedProblems) problems_.push_back(std::move(problem));
  }
  void clear() {
    problems_.clear();
    count_ = 0;
  }
  std::vector<std::string> takeProblems() {
    std::vector<std::string> out = std::move(problems_);
    if (count_ > out.size()) out.push_back("... and " + std::to_string(count_ - out.size()) + " more problems");
    clear();
    return out;
  }
  bool empty() const { return count_ == 0; }

 private:
  std::vector<std::string> problems_;
  std::size_t count_ = 0;
};

// Builds our Element tree from SAX events, stopping (via the progressive parse loop) at the
// first limit crossed or at a DOCTYPE.
class TreeBuilder final : public ErrorCollector {
 public:
  explicit TreeBuilder(const ParseLimits& limits) : limits_(limits) {}

  void setDocumentLocator(const xc::Locator* const locator) override { locator_ = locator; }

  void startDTD(const XMLCh* const, const XMLCh* const, const XMLCh* const) override {
    stop("DOCTYPE declarations are not accepted (no DTDs, no entities)");
  }

  void startElement(const XMLCh* const uri, const XMLCh* const localname, const XMLCh* const,
                    const xc::Attributes& attributes) override {
    if (stopped_) return;
    if (stack_.size() >= limits_.max_depth) {
      stop("elements nested deeper than " + std::to_string(limits_.max_depth));
      return;
    }
    if (++element_count_ > limits_.max_elements) {
      stop("more than " + std::to_string(limits_.max_elements) + " elements");
      return;
    }
    Element element;
    element.name = str(localname);
    element.namespace_uri = str(uri);
    const XMLSize_t count = attributes.getLength();
    element.attributes.reserve(count);
    for (XMLSize_t i = 0; i < count; ++i) {
      element.attributes.push_back(
          Attribute{str(attributes.getLocalName(i)), str(attributes.getURI(i)), str(attributes.getValue(i))});
    }
    stack_.push_back(std::move(element));
  }

  void endElement(const XMLCh* const, const XMLCh* const, const XMLCh* const) override {
    if (stopped_ || stack_.empty()) return;
    Element done = std::move(stack_.back());
    stack_.pop_back();
    if (stack_.empty()) {
      root_ = std::move(done);
      have_root_ = true;
    } else {
      stack_.back().children.push_back(std::move(done));
    }
  }

  void characters(const XMLCh* const chars, const XMLSize_t length) override {
    if (stopped_ || stack_.empty()) return;
    stack_.back().text += str(chars, length);
  }

  bool stopped() const { return stopped_; }
  const std::string& stopReason() const { return stop_reason_; }
  bool haveRoot() const { return have_root_; }
  Element takeRoot() { return std::move(root_); }

 private:
  void stop(std::string reason) {
    if (stopped_) return;
    stopped_ = true;
    stop_reason_ = (locator_ != nullptr ? location(locator_->getLineNumber(), locator_->getColumnNumber())
                                        : std::string("?:?")) +
                   ": " + std::move(reason);
  }

  ParseLimits limits_;
  const xc::Locator* locator_ = nullptr;
  std::vector<Element> stack_;
  Element root_;
  bool have_root_ = false;
  bool stopped_ = false;
  std::string stop_reason_;
  std::size_t element_count_ = 0;
};

// Resolves schema imports/includes to files in the allowed folders only; anything else (an
// http:// location above all) is refused with an empty input, so nothing is ever fetched.
class LocalOnlyResolver final : public xc::XMLEntityResolver {
 public:
  void allow(const fs::path& folder) { allowed_folders_.insert(folder); }
  void refuseEverything() { refuse_everything_ = true; }
  std::vector<std::string> takeRefusals() { return std::exchange(refusals_, {}); }

  xc::InputSource* resolveEntity(xc::XMLResourceIdentifier* resource) override {
    try {
      const std::string system_id = str(resource->getSystemId());
      if (!refuse_everything_) {
        if (auto local = localPath(system_id, str(resource->getBaseURI()))) {
          const std::u16string path = detail::toUtf16(local->string());
          return new xc::LocalFileInputSource(path.c_str());
        }
      }
      refusals_.push_back("refused to load \"" + system_id + "\": only schema files in the given folders are read");
    } catch (...) {
      refusals_.push_back("could not resolve an external reference");
    }
    return emptyInput();
  }

 private:
  static xc::InputSource* emptyInput() {
    static const XMLByte kNothing[] = {0};
    return new xc::MemBufInputSource(kNothing, 0, "refused");
  }

  static std::string stripFileScheme(std::string uri) {
    if (uri.rfind("file://", 0) == 0) uri.erase(0, 7);
    // Percent-decoding: Xerces escapes spaces and a few others in the file URIs it builds.
    std::string out;
    for (std::size_t i = 0; i < uri.size(); ++i) {
      if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
        out += static_cast<char>(std::stoi(uri.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += uri[i];
      }
    }
    return out;
  }

  std::optional<fs::path> localPath(const std::string& system_id, const std::string& base_uri) const {
    if (system_id.empty()) return std::nullopt;
    const auto scheme_end = system_id.find("://");
    if (scheme_end != std::string::npos && system_id.rfind("file://", 0) != 0) return std::nullopt;
    fs::path candidate = stripFileScheme(system_id);
    if (candidate.is_relative()) {
      if (base_uri.empty()) return std::nullopt;
      candidate = fs::path(stripFileScheme(base_uri)).parent_path() / candidate;
    }
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(candidate, ec);
    if (ec || !fs::is_regular_file(canonical, ec)) return std::nullopt;
    if (allowed_folders_.count(canonical.parent_path()) == 0) return std::nullopt;
    return canonical;
  }

  std::set<fs::path> allowed_folders_;
  std::vector<std::string> refusals_;
  bool refuse_everything_ = false;
};

// Features every reader of ours has: namespaces on, no DTD fetching, no default resolution (the
// parser never opens a URL on its own), an entity expansion ceiling.
void setSafeFeatures(xc::SAX2XMLReader& reader, xc::SecurityManager& security) {
  reader.setFeature(xc::XMLUni::fgSAX2CoreNameSpaces, true);
  reader.setFeature(xc::XMLUni::fgSAX2CoreNameSpacePrefixes, false);
  reader.setFeature(xc::XMLUni::fgXercesLoadExternalDTD, false);
  reader.setFeature(xc::XMLUni::fgXercesDisableDefaultEntityResolution, true);
  reader.setFeature(xc::XMLUni::fgXercesIgnoreCachedDTD, true);
  security.setEntityExpansionLimit(kEntityExpansionLimit);
  reader.setProperty(xc::XMLUni::fgXercesSecurityManager, &security);
}

std::unique_ptr<xc::MemBufInputSource> memoryInput(std::string_view text, const std::string& id) {
  return std::make_unique<xc::MemBufInputSource>(reinterpret_cast<const XMLByte*>(text.data()), text.size(),
                                                  id.c_str());
}

}  // namespace

void ensureInitialized() {
  std::call_once(g_init_once, [] {
    try {
      xc::XMLPlatformUtils::Initialize();
      g_init_ok = true;
    } catch (const xc::XMLException& e) {
      g_init_error = str(e.getMessage());
    } catch (...) {
      g_init_error = "unknown failure";
    }
    // Never terminated: validators may live in statics until exit, and the OS reclaims the rest.
  });
}

Result<Element> parse(std::string_view text, std::string_view what, const ParseLimits& limits) {
  if (!initialized()) return initError();
  const std::string context(what);
  if (text.size() > limits.max_bytes) {
    return Error{"xml.too_large",
                 "document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                     std::to_string(limits.max_bytes),
                 context};
  }
  try {
    auto reader = std::make_unique<xc::SAX2XMLReaderImpl>();
    xc::SecurityManager security;
    setSafeFeatures(*reader, security);
    reader->setFeature(xc::XMLUni::fgSAX2CoreValidation, false);
    reader->setFeature(xc::XMLUni::fgXercesSchema, false);
    reader->setFeature(xc::XMLUni::fgXercesLoadSchema, false);
    LocalOnlyResolver resolver;
    resolver.refuseEverything();
    reader->setXMLEntityResolver(&resolver);
    TreeBuilder builder(limits);
    reader->setContentHandler(&builder);
    reader->setErrorHandler(&builder);
    reader->setLexicalHandler(&builder);

    const auto input = memoryInput(text, context);
    xc::XMLPScanToken token;
    // Progressive parsing lets the builder stop at a limit without throwing through Xerces.
    bool more = reader->parseFirst(*input, token);
    while (more && !builder.stopped() && builder.empty()) more = reader->parseNext(token);
    if (more) reader->parseReset(token);

    if (builder.stopped()) return Error{"xml.refused", builder.stopReason(), context};
    if (!builder.empty()) {
      std::vector<std::string> problems = builder.takeProblems();
      return Error{"xml.parse", problems.front(), context};
    }
    if (!builder.haveRoot()) return Error{"xml.parse", "1:1: no root element", context};
    return builder.takeRoot();
  } catch (const xc::OutOfMemoryException&) {
    return Error{"xml.parse", "out of memory while parsing", context};
  } catch (const xc::XMLException& e) {
    return Error{"xml.parse", "0:0: " + str(e.getMessage()), context};
  } catch (const xc::SAXParseException& e) {
    return Error{"xml.parse", describe(e), context};
  } catch (const xc::SAXException& e) {
    return Error{"xml.parse", "0:0: " + str(e.getMessage()), context};
  } catch (const std::exception& e) {
    return Error{"xml.parse", e.what(), context};
  } catch (...) {
    return Error{"xml.parse", "unexpected failure while parsing", context};
  }
}

struct SchemaValidator::Impl {
  std::unique_ptr<xc::XMLGrammarPool> pool;
  std::unique_ptr<xc::SAX2XMLReaderImpl> reader;
  xc::SecurityManager security;
  LocalOnlyResolver resolver;
  ErrorCollector errors;
};

SchemaValidator::SchemaValidator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SchemaValidator::~SchemaValidator() = default;

Result<std::unique_ptr<SchemaValidator>> SchemaValidator::load(const std::vector<std::string>& schema_files) {
  if (!initialized()) return initError();
  if (schema_files.empty()) return Error{"xml.schema", "no schema files given", ""};
  std::vector<fs::path> paths;
  auto impl = std::make_unique<Impl>();
  for (const std::string& file : schema_files) {
    std::error_code ec;
    const fs::path path = fs::weakly_canonical(fs::path(file), ec);
    if (ec || !fs::is_regular_file(path, ec)) {
      return Error{"xml.schema", "schema file not found or not a regular file", file};
    }
    paths.push_back(path);
    impl->resolver.allow(path.parent_path());
  }
  try {
    impl->pool = std::make_unique<xc::XMLGrammarPoolImpl>(xc::XMLPlatformUtils::fgMemoryManager);
    impl->reader = std::make_unique<xc::SAX2XMLReaderImpl>(xc::XMLPlatformUtils::fgMemoryManager, impl->pool.get());
    xc::SAX2XMLReaderImpl& reader = *impl->reader;
    setSafeFeatures(reader, impl->security);
    reader.setFeature(xc::XMLUni::fgSAX2CoreValidation, true);
    reader.setFeature(xc::XMLUni::fgXercesDynamic, false);
    reader.setFeature(xc::XMLUni::fgXercesSchema, true);
    reader.setFeature(xc::XMLUni::fgXercesSchemaFullChecking, false);
    reader.setFeature(xc::XMLUni::fgXercesHandleMultipleImports, true);
    reader.setXMLEntityResolver(&impl->resolver);
    reader.setErrorHandler(&impl->errors);

    for (const fs::path& path : paths) {
      // Loading one schema also loads what it imports; a file already in the pool that way is
      // skipped by Xerces, so the order of `schema_files` does not matter.
      const std::u16string wide = detail::toUtf16(path.string());
      xc::LocalFileInputSource source(wide.c_str());
      xc::Grammar* grammar = reader.loadGrammar(source, xc::Grammar::SchemaGrammarType, true);
      std::vector<std::string> problems = impl->errors.takeProblems();
      for (std::string& refusal : impl->resolver.takeRefusals()) problems.push_back(std::move(refusal));
      if (grammar == nullptr || !problems.empty()) {
        std::string message = "schema could not be loaded";
        for (const std::string& problem : problems) message += "; " + problem;
        return Error{"xml.schema", message, path.string()};
      }
    }
    impl->pool->lockPool();
    // Documents validated later may not pull in schemas of their own (xsi:schemaLocation).
    reader.setFeature(xc::XMLUni::fgXercesUseCachedGrammarInParse, true);
    reader.setFeature(xc::XMLUni::fgXercesLoadSchema, false);
    impl->resolver.refuseEverything();
  } catch (const xc::OutOfMemoryException&) {
    return Error{"xml.schema", "out of memory while loading schemas", schema_files.front()};
  } catch (const xc::XMLException& e) {
    return Error{"xml.schema", str(e.getMessage()), schema_files.front()};
  } catch (const xc::SAXParseException& e) {
    return Error{"xml.schema", describe(e), schema_files.front()};
  } catch (const xc::SAXException& e) {
    return Error{"xml.schema", str(e.getMessage()), schema_files.front()};
  } catch (const std::exception& e) {
    return Error{"xml.schema", e.what(), schema_files.front()};
  } catch (...) {
    return Error{"xml.schema", "unexpected failure while loading schemas", schema_files.front()};
  }
  return std::unique_ptr<SchemaValidator>(new SchemaValidator(std::move(impl)));
}

std::vector<std::string> SchemaValidator::validate(std::string_view document_text, std::string_view what) const {
  const ParseLimits limits;
  if (document_text.size() > limits.max_bytes) {
    return {"0:0: document of " + std::to_string(document_text.size()) + " bytes exceeds the limit of " +
            std::to_string(limits.max_bytes)};
  }
  std::vector<std::string> problems;
  try {
    // A DOCTYPE in a document to validate would be handled by Xerces' DTD machinery; refuse it
    // the same way parse() does by checking well-formedness with our own parser first.
    Result<Element> well_formed = parse(document_text, what, limits);
    if (!well_formed) return {well_formed.error().message};
    impl_->errors.clear();
    const auto input = memoryInput(document_text, std::string(what));
    impl_->reader->parse(*input);
    problems = impl_->errors.takeProblems();
    for (std::string& refusal : impl_->resolver.takeRefusals()) problems.push_back("0:0: " + std::move(refusal));
  } catch (const xc::OutOfMemoryException&) {
    problems.push_back("0:0: out of memory while validating");
  } catch (const xc::XMLException& e) {
    problems.push_back("0:0: " + str(e.getMessage()));
  } catch (const xc::SAXParseException& e) {
    problems.push_back(describe(e));
  } catch (const xc::SAXException& e) {
    problems.push_back("0:0: " + str(e.getMessage()));
  } catch (const std::exception& e) {
    problems.push_back(std::string("0:0: ") + e.what());
  } catch (...) {
    problems.push_back("0:0: unexpected failure while validating");
  }
  return problems;
}

}  // namespace m2z::xml
