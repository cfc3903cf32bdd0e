"""Teams of reviewers: comparing appraisals of one study, agreement, and consensus."""
