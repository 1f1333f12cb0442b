"""`trackit ask`: a question in free wording answered from the stored records (intents.py -> answer.py, worded
by render/answers.py), and an LLM's turn with the retrieved records when a provider is configured (llm.py)."""
