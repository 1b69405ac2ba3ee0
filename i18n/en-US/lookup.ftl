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
