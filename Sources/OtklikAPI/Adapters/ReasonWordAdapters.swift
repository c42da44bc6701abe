public import OtklikCore
public import OtklikRPC

// The reasons of the workflow's judgements as wire words (`DomainWord`, WordAdapters.swift): why a
// draft was returned, what the reply-quality check found, why an assignment is at risk, why a message
// is not processed.

extension Wire.ReturnReason: DomainWord {
    public init(_ value: ReturnReason) {
        switch value {
        case .formal: self = .formal
        case .noEvidence: self = .noEvidence
        case .contradictory: self = .contradictory
        case .incomplete: self = .incomplete
        case .other: self = .other
        case .measures: self = .measures
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: ReturnReason? {
        switch self {
        case .formal: .formal
        case .noEvidence: .noEvidence
        case .contradictory: .contradictory
        case .incomplete: .incomplete
        case .other: .other
        case .measures: .measures
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.QualityRule: DomainWord {
    public init(_ value: QualityRule) {
        switch value {
        case .empty: self = .empty
        case .noTerm: self = .noTerm
        case .stockPhrases: self = .stockPhrases
        case .onlyLaws: self = .onlyLaws
        case .offTopic: self = .offTopic
        case .copy: self = .copy
        case .noFinalTerm: self = .noFinalTerm
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: QualityRule? {
        switch self {
        case .empty: .empty
        case .noTerm: .noTerm
        case .stockPhrases: .stockPhrases
        case .onlyLaws: .onlyLaws
        case .offTopic: .offTopic
        case .copy: .copy
        case .noFinalTerm: .noFinalTerm
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.RiskReason: DomainWord {
    public init(_ value: RiskReason) {
        switch value {
        case .nobodyPresent: self = .nobodyPresent
        case .behind: self = .behind
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: RiskReason? {
        switch self {
        case .nobodyPresent: .nobodyPresent
        case .behind: .behind
        case .unspecified, .unrecognized: nil
        }
    }
}

extension Wire.RejectionReason: DomainWord {
    public init(_ value: RejectionReason) {
        switch value {
        case .harm: self = .harm
        case .obscene: self = .obscene
        case .insult: self = .insult
        case .threat: self = .threat
        }
    }

    /// The domain's value; nil for `unspecified` or a value this build does not know.
    public var domain: RejectionReason? {
        switch self {
        case .harm: .harm
        case .obscene: .obscene
        case .insult: .insult
        case .threat: .threat
        case .unspecified, .unrecognized: nil
        }
    }
}
