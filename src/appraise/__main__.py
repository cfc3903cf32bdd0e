from appraise.cli import main

main()
