/**
 * Every single-file rule, in the order of DESIGN.md's table. The CLI runs
 * their `check` functions on the Story model; the preset wraps them for remark.
 */
import * as tasksSection from './tasks-section.js';
import * as taskHeading from './task-heading.js';
import * as taskIdUnique from './task-id-unique.js';
import * as taskIdSequence from './task-id-sequence.js';
import * as taskFields from './task-fields.js';
import * as taskDomain from './task-domain.js';
import * as taskStatus from './task-status.js';
import * as taskDependsFormat from './task-depends-format.js';
import * as taskDescription from './task-description.js';
import * as taskSeparator from './task-separator.js';
import * as taskSpecific from './task-specific.js';
import * as taskSize from './task-size.js';
import * as taskDomainHint from './task-domain-hint.js';
import * as storyStatus from './story-status.js';
import * as storySize from './story-size.js';
import * as storyIdUnique from './story-id-unique.js';
import * as dependencyUnknown from './dependency-unknown.js';
import * as dependencySelf from './dependency-self.js';
import * as dependencyCycle from './dependency-cycle.js';
import * as dependencyStatus from './dependency-status.js';
import type { Rule } from '../src/rules/types.js';

export const rules: Rule[] = [
  tasksSection,
  taskHeading,
  taskIdUnique,
  taskIdSequence,
  taskFields,
  taskDomain,
  taskStatus,
  taskDependsFormat,
  taskDescription,
  taskSeparator,
  taskSpecific,
  taskSize,
  taskDomainHint,
  storyStatus,
  storySize,
  storyIdUnique,
  dependencyUnknown,
  dependencySelf,
  dependencyCycle,
  dependencyStatus,
].map((m) => ({ meta: m.meta, check: m.check }));

export const plugins = {
  'tasks-section': tasksSection.default,
  'task-heading': taskHeading.default,
  'task-id-unique': taskIdUnique.default,
  'task-id-sequence': taskIdSequence.default,
  'task-fields': taskFields.default,
  'task-domain': taskDomain.default,
  'task-status': taskStatus.default,
  'task-depends-format': taskDependsFormat.default,
  'task-description': taskDescription.default,
  'task-separator': taskSeparator.default,
  'task-specific': taskSpecific.default,
  'task-size': taskSize.default,
  'task-domain-hint': taskDomainHint.default,
  'story-status': storyStatus.default,
  'story-size': storySize.default,
  'story-id-unique': storyIdUnique.default,
  'dependency-unknown': dependencyUnknown.default,
  'dependency-self': dependencySelf.default,
  'dependency-cycle': dependencyCycle.default,
  'dependency-status': dependencyStatus.default,
};
