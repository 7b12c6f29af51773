import FoundationXML
import XCTest
import SkipChatPlot

final class ChartSVGTests: XCTestCase {
    private func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws -> XMLElement {
        let document = try XMLDocument(xmlString: svg, options: [])
        return try XCTUnwrap(document.rootElement(), file: file, line: line)
    }

    private func elements(_ root: XMLElement, _ name: String) throws -> [XMLElement] {
        try root.nodes(forXPath: "//*[local-name()='\(name)']").compactMap { $0 as? XMLElement }
    }

    /// An attribute by name (FoundationXML's attribute(forName:) misses them on elements in a namespace).
    private func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
    }

    private func number(_ element: XMLElement, _ name: String) -> Double? {
        attribute(element, name).flatMap(Double.init)
    }

    func testLineChartIsWellFormedAndPlotsEveryPointOnItsScale() throws {
        let chart = LineChart(
            title: "speedup <vs> exit layer", xTitle: "exit layer", yTitle: "speedup",
            series: [LineChart.Series(name: "K=1", points: [.init(x: 4, y: 0.8), .init(x: 8, y: 1.0), .init(x: 12, y: 1.2)]),
                     LineChart.Series(name: "K=2 & more", points: [.init(x: 4, y: 0.6), .init(x: 8, y: 1.4)])],
            references: [LineChart.Reference(value: 1, label: "plain decoding")], yFormat: .times)
        let svg = SVGDocument(charts: [chart]).render()
        let root = try parse(svg)
        XCTAssertEqual(root.name, "svg")
        XCTAssertTrue(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let circles = try elements(root, "circle")
        XCTAssertEqual(circles.count, 5)
        // The dashed reference line at 1.0 lies exactly where the point (8, 1.0) does.
        let reference = try XCTUnwrap(try elements(root, "line").first { attribute($0, "stroke-dasharray") != nil })
        let pointAtOne = circles[1]
        XCTAssertEqual(number(reference, "y1"), number(pointAtOne, "cy"))
        // Higher values are drawn higher (smaller y), and x grows with the exit layer.
        XCTAssertLessThan(number(circles[2], "cy")!, number(circles[1], "cy")!)
        XCTAssertLessThan(number(circles[0], "cx")!, number(circles[1], "cx")!)
        XCTAssertEqual(number(circles[0], "cx"), number(circles[3], "cx"))
        let texts = try elements(root, "text").map(\.stringValue)
        XCTAssertTrue(texts.contains("speedup <vs> exit layer"), "titles stay text: \(texts)")
        XCTAssertTrue(texts.contains("K=2 & more"))
        XCTAssertTrue(texts.contains("1.0×"), "\(texts)")
        XCTAssertEqual(try elements(root, "polyline").count, 2)
    }

    func testBarHeightsAreProportionalAndMissingValuesDrawNoBar() throws {
        let chart = BarChart(title: "acceptance", xTitle: "draft", yTitle: "accepted",
                             bars: [.init(label: "1", value: 1), .init(label: "2", value: 0.5), .init(label: "3", value: nil)],
                             yFormat: .percent, yMax: 1)
        let root = try parse(SVGDocument(charts: [chart], panelWidth: 400, panelHeight: 300).render())
        let bars = try elements(root, "rect").filter { $0.elements(forName: "title").count == 1 }
        XCTAssertEqual(bars.count, 2)
        let full = try XCTUnwrap(number(bars[0], "height")), half = try XCTUnwrap(number(bars[1], "height"))
        XCTAssertEqual(half / full, 0.5, accuracy: 0.01)
        XCTAssertEqual(number(bars[0], "y")! + full, number(bars[1], "y")! + half, accuracy: 0.11, "bars share a baseline")
        XCTAssertTrue(try elements(root, "text").map(\.stringValue).contains("100%"))
    }

    func testDocumentLaysPanelsOutInColumns() throws {
        let chart = BarChart(title: "t", xTitle: "x", yTitle: "y", bars: [.init(label: "a", value: 1)])
        let document = SVGDocument(charts: [chart, chart, chart], columns: 2, panelWidth: 100, panelHeight: 50, caption: "made by a test")
        XCTAssertEqual(document.size.width, 200)
        XCTAssertEqual(document.size.height, 124)
        let root = try parse(document.render())
        XCTAssertEqual(number(root, "width"), 200)
        XCTAssertEqual(try elements(root, "g").count, 3)
        XCTAssertFalse(document.render(standalone: false).hasPrefix("<?xml"))
    }

    func testLongCaptionWrapsToTheWidthAndEveryWordIsKept() throws {
        let chart = BarChart(title: "t", xTitle: "x", yTitle: "y", bars: [.init(label: "a", value: 1)])
        let words = (1...40).map { "word\($0)" }
        let document = SVGDocument(charts: [chart], panelWidth: 300, panelHeight: 200, caption: words.joined(separator: " "))
        let root = try parse(document.render())
        let lines = try elements(root, "text").map(\.stringValue!).filter { $0.hasPrefix("word") }
        XCTAssertGreaterThan(lines.count, 2)
        XCTAssertEqual(lines.joined(separator: " "), words.joined(separator: " "))
        XCTAssertTrue(lines.allSatisfy { Double($0.count) * 6.2 <= 300 - 16 }, "\(lines)")
        XCTAssertEqual(document.size.height, 200 + Double(lines.count) * 15 + 9)
    }

    func testLegendTakesACornerTheLinesLeaveFree() throws {
        // A diagonal through the top left and bottom right corners: the legend must avoid both.
        let series = LineChart.Series(name: "K=1", points: [.init(x: 0, y: 1), .init(x: 10, y: 0)])
        let chart = LineChart(title: "t", xTitle: "x", yTitle: "y", series: [series], references: [], yFormat: .plain)
        let root = try parse(SVGDocument(charts: [chart], panelWidth: 400, panelHeight: 300).render())
        let panel = try XCTUnwrap(try elements(root, "rect").first { attribute($0, "fill-opacity") != nil })
        let (x, y) = (number(panel, "x")!, number(panel, "y")!)
        let (width, height) = (number(panel, "width")!, number(panel, "height")!)
        let circles = try elements(root, "circle")
        let (start, end) = ((number(circles[0], "cx")!, number(circles[0], "cy")!), (number(circles[1], "cx")!, number(circles[1], "cy")!))
        for step in 0...200 {
            let t = Double(step) / 200
            let (px, py) = (start.0 + (end.0 - start.0) * t, start.1 + (end.1 - start.1) * t)
            XCTAssertFalse(px >= x && px <= x + width && py >= y && py <= y + height, "the legend covers the line at (\(px), \(py))")
        }
    }
}
