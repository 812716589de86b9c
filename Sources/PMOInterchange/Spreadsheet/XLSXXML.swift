import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small event parser over Foundation's streaming XMLParser: element and attribute names arrive without their
/// namespace prefix (some producers write `<x:c>`), text arrives in pieces, and a handler may stop the parse by
/// throwing.
protocol XLSXXMLHandler: AnyObject {
    func start(_ name: String, _ attributes: [String: String]) throws
    func end(_ name: String) throws
    func text(_ string: String)
}

enum XLSXXML {
    /// Parses one part of the package; errors name the part.
    static func parse(_ data: Data, part: String, into handler: any XLSXXMLHandler) throws {
        // Workbook parts never declare a DTD; refusing one rules out entity-expansion tricks.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil {
            throw SpreadsheetError.malformed(part: part, "declares a DOCTYPE, which a workbook part never does")
        }
        // The stream form parses in chunks, which avoids libxml2's size limit on one in-memory document.
        let parser = XMLParser(stream: InputStream(data: data))
        let delegate = Delegate(handler: handler)
        parser.delegate = delegate
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        if let failure = delegate.failure { throw failure }
        if !ok || parser.parserError != nil {
            throw SpreadsheetError.malformed(part: part, "is not well-formed XML (near line \(parser.lineNumber))")
        }
    }

    /// "x:c" → "c".
    static func localName(_ name: String) -> String {
        guard name.utf8.contains(UInt8(ascii: ":")), let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    // Not generic: Objective-C protocol conformances cannot live in generic classes on Apple platforms.
    final class Delegate: NSObject, XMLParserDelegate {
        let handler: any XLSXXMLHandler
        var failure: Error?

        init(handler: any XLSXXMLHandler) { self.handler = handler }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            guard failure == nil else { return }
            var attributes = attributeDict
            if attributeDict.keys.contains(where: { $0.utf8.contains(UInt8(ascii: ":")) }) {
                attributes = [:]
                for (key, value) in attributeDict { attributes[XLSXXML.localName(key)] = value }
            }
            do { try handler.start(XLSXXML.localName(elementName), attributes) } catch { stop(parser, error) }
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            guard failure == nil else { return }
            do { try handler.end(XLSXXML.localName(elementName)) } catch { stop(parser, error) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { handler.text(string) }

        func parser(_ parser: XMLParser, foundIgnorableWhitespace whitespaceString: String) {
            handler.text(whitespaceString)
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            handler.text(String(decoding: CDATABlock, as: UTF8.self))
        }

        func stop(_ parser: XMLParser, _ error: Error) {
            failure = error
            parser.abortParsing()
        }
    }
}
