"""The Streamlit frontend."""
import streamlit as st

st.title("Weather comments")
st.text_input("Place")
