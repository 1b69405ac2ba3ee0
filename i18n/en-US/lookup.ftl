# lookup — en-US

lookup-title = Look-up
lookup-hint = Scan anything in look-up mode to see it here.
lookup-unit = Unit
lookup-status = Status
lookup-parents = Parents
lookup-children = Children
lookup-history = History
lookup-show-tree = Show in tree
lookup-export-manifest = Export manifest…
history-pack = Packed
history-pack-batch = Packed (camera layer)
history-open-container = Container opened
history-close = Container closed
history-remove = Removed
history-move = Moved
history-unpack = Unpacked
history-replace = Replaced
history-relabel = Relabelled
history-undo = Undone
history-print-label = Label printed
history-reprint-label = Label reprinted
history-verify-label = Label verified
history-void-label = Label voided
history-verify-contents = Contents checked
