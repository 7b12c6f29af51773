import XCTest
@testable import SkipChatPlot

final class ChartScaleTests: XCTestCase {
    func testNiceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        let cases: [(Double, Double)] = [(0.23, 0.5), (1, 1), (1.2, 2), (7, 10), (0.04, 0.05), (0.066, 0.1), (180, 200), (3e-4, 5e-4)]
        for (rough, nice) in cases {
            XCTAssertEqual(ChartScale.niceStep(rough), nice, accuracy: nice * 1e-12, "niceStep(\(rough))")
        }
    }

    func testCoveringWidensToWholeStepsAndIncludesReferences() {
        let scale = ChartScale(covering: [0.93, 1.26], include: [1], range: (start: 300, end: 0))
        XCTAssertEqual(scale.step, 0.1, accuracy: 1e-12)
        XCTAssertEqual(scale.domain.lowerBound, 0.9, accuracy: 1e-9)
        XCTAssertEqual(scale.domain.upperBound, 1.3, accuracy: 1e-9)
        XCTAssertEqual(scale.ticks.count, 5)
        for (tick, expected) in zip(scale.ticks, [0.9, 1.0, 1.1, 1.2, 1.3]) { XCTAssertEqual(tick, expected, accuracy: 1e-9) }
        let withZero = ChartScale(covering: [0.93, 1.26], include: [0], range: (start: 300, end: 0))
        XCTAssertEqual(withZero.domain.lowerBound, 0)
    }

    func testPositionIsLinearAndMayRunBackwards() {
        let scale = ChartScale(domain: 0...2, range: (start: 100, end: 0), step: 0.5)
        XCTAssertEqual(scale.position(0), 100)
        XCTAssertEqual(scale.position(1), 50)
        XCTAssertEqual(scale.position(2), 0)
        XCTAssertEqual(scale.ticks, [0, 0.5, 1, 1.5, 2])
    }

    func testDegenerateInputsGetAUsableDomain() {
        let single = ChartScale(covering: [3], range: (start: 0, end: 10))
        XCTAssertLessThan(single.domain.lowerBound, 3)
        XCTAssertGreaterThan(single.domain.upperBound, 3)
        let empty = ChartScale(covering: [], range: (start: 0, end: 10))
        XCTAssertFalse(empty.ticks.isEmpty)
        let infinite = ChartScale(covering: [.infinity, 1, 2], range: (start: 0, end: 10))
        XCTAssertTrue(infinite.domain.upperBound.isFinite)
    }

    func testTickLabelsUseTheDecimalsTheStepNeeds() {
        XCTAssertEqual(tickLabel(1, step: 1), "1")
        XCTAssertEqual(tickLabel(1.5, step: 0.5), "1.5")
        XCTAssertEqual(tickLabel(0.25, step: 0.05), "0.25")
        XCTAssertEqual(tickLabel(-0.2, step: 0.1), "-0.2")
        XCTAssertEqual(ValueFormat.percent.label(0.5, step: 0.25), "50%")
        XCTAssertEqual(ValueFormat.times.label(1.2, step: 0.2), "1.2×")
        XCTAssertEqual(px(12.0), "12")
        XCTAssertEqual(px(12.34), "12.3")
    }
}
