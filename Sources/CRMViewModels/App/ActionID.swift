/// Every action a key can trigger, in any view. Key tables map keys to these;
/// the help overlay and the command palette list them with their titles.
public enum ActionID: String, CaseIterable, Sendable {
    // global
    case quit, help, palette, redraw
    case showToday, showContacts, showPipeline, showTimeline, showReports
    // pipeline board
    case moveLeft, moveRight, dealNextStage, dealPreviousStage, reorderUp, reorderDown
    case markWon, markLost, showClosed, reopen, cycleClosedStatus
    case filterOwner, filterClosingBefore, nextPipeline, addPipeline, renamePipeline
    case addStage, renameStage, stageProbability, stageRotDays, deleteStage, moveStageLeft, moveStageRight
    case openContact, openCompany
    // moving around
    case moveDown, moveUp, pageDown, pageUp, top, bottom, nextPane, previousPane, open, back
    // contacts workspace
    case search, add, edit, delete, undo, logNote, call, followUp
    case toggleCompanies, filterMine, filterTag, filterLifecycle, cycleSort, clearFilters, trash
    case filterTier
    case restore
    // the trash of every kind
    case showTrash, emptyTrash
    // duplicates and merging
    case duplicates, merge, chooseKeep, chooseOther, swapSurvivor
    // today (follow-ups) and the global timeline
    case done, snooze, reschedule, toggleEveryone, filterKind, filterDates, settings
    case nextSection, previousSection, toggleMark, markAll, filterAssignee, setCadence
    // from the palette only
    case importFile
    // logged history (an entry of a timeline)
    case editEntry, deleteEntry
    // overlays: forms, prompts, questions, call mode, drafts, help and the palette
    case save, cancel, nextField, previousField, editExternally, saveMerged, reloadStored, openWarning
    case nextChoice, previousChoice, takeChoice, editText, yes, no
    case endCall, toggleDirection, toggleFollowUpAfter, restoreDraft, discardDraft
    // follow-ups managed: Today's rows, the follow-ups list, a contact's or a deal's follow-ups
    case cancelFollowUp, reassign, followUpList, filterStatus, filterDeal
    // the audit trail and reassigning a selection
    case history, auditTrail, auditFilterAction, mark
    // users and roles (the Administration screen)
    case administration, addUser, renameUser, setRole, deactivateUser, reactivateUser, handOver
    // the Reports view: its filters, and each page by name from the palette
    case filterPipeline, filterCurrency
    case reportPipeline, reportForecast, reportWinloss, reportPeople, reportCustomers
}
