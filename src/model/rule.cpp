#include "model/rule.h"

namespace m2z::model {

const char* toString(RuleSource source) {
  switch (source) {
    case RuleSource::kServerRule: return "server-rule";
    case RuleSource::kExtendedRule: return "extended-rule";
  }
  return "unknown";
}

const char* toString(RuleConditionKind kind) {
  switch (kind) {
    case RuleConditionKind::kFrom: return "from";
    case RuleConditionKind::kSentTo: return "sent-to";
    case RuleConditionKind::kSentToMe: return "sent-to-me";
    case RuleConditionKind::kSentOnlyToMe: return "sent-only-to-me";
    case RuleConditionKind::kCcMe: return "cc-me";
    case RuleConditionKind::kSubjectContains: return "subject-contains";
    case RuleConditionKind::kBodyContains: return "body-contains";
    case RuleConditionKind::kHeaderContains: return "header-contains";
    case RuleConditionKind::kSubjectOrBodyContains: return "subject-or-body-contains";
    case RuleConditionKind::kSizeAtLeast: return "size-at-least";
    case RuleConditionKind::kSizeAtMost: return "size-at-most";
    case RuleConditionKind::kImportance: return "importance";
    case RuleConditionKind::kSensitivity: return "sensitivity";
    case RuleConditionKind::kHasAttachment: return "has-attachment";
    case RuleConditionKind::kCategory: return "category";
    case RuleConditionKind::kOther: return "other";
  }
  return "unknown";
}

const char* toString(RuleActionKind kind) {
  switch (kind) {
    case RuleActionKind::kMove: return "move";
    case RuleActionKind::kCopy: return "copy";
    case RuleActionKind::kDelete: return "delete";
    case RuleActionKind::kForward: return "forward";
    case RuleActionKind::kForwardAsAttachment: return "forward-as-attachment";
    case RuleActionKind::kRedirect: return "redirect";
    case RuleActionKind::kReply: return "reply";
    case RuleActionKind::kOofReply: return "oof-reply";
    case RuleActionKind::kMarkRead: return "mark-read";
    case RuleActionKind::kSetImportance: return "set-importance";
    case RuleActionKind::kSetSensitivity: return "set-sensitivity";
    case RuleActionKind::kFlag: return "flag";
    case RuleActionKind::kSetProperty: return "set-property";
    case RuleActionKind::kBounce: return "bounce";
    case RuleActionKind::kDelegate: return "delegate";
    case RuleActionKind::kDeferred: return "deferred";
    case RuleActionKind::kStopProcessing: return "stop";
  }
  return "unknown";
}

}  // namespace m2z::model
